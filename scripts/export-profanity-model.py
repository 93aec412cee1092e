"""Exports alt-profanity-check's model (a PyPI package, MIT) to activities/gates/text/profanity-model.json.

The package ships a scikit-learn TfidfVectorizer (word unigrams, English stop words left out) and a
CalibratedClassifierCV of five LinearSVCs, each with a sigmoid calibration, trained on offensive
tweets and Wikipedia talk-page comments. activities/gates/text/profanity-model.ts computes the same
probability from the exported vocabulary, idf, weights and calibrations.

Run once by hand (the JSON is committed; nothing runs at install or at run time):
  python3 -m venv /tmp/profanity && /tmp/profanity/bin/pip install scikit-learn==1.9.1 joblib==1.6.0
  pip download alt-profanity-check==1.9.1 --no-deps -d /tmp/profanity-wheel
  /tmp/profanity/bin/python scripts/export-profanity-model.py \
    /tmp/profanity-wheel/alt_profanity_check-1.9.1-py3-none-any.whl
"""
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

import joblib

wheel = Path(sys.argv[1])
output = Path(__file__).resolve().parent.parent / 'activities' / 'gates' / 'text' / 'profanity-model.json'
with zipfile.ZipFile(wheel) as archive:
    vectorizer = joblib.load(io.BytesIO(archive.read('profanity_check/data/vectorizer.joblib')))
    model = joblib.load(io.BytesIO(archive.read('profanity_check/data/model.joblib')))

params = vectorizer.get_params()
assert params['analyzer'] == 'word' and params['ngram_range'] == (1, 1) and params['lowercase'], params
assert params['norm'] == 'l2' and params['use_idf'] and not params['sublinear_tf'], params
assert params['token_pattern'] == r'(?u)\b\w\w+\b', params
terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)


def rounded(value):
    return float(f'{value:.5g}')


classifiers = []
for calibrated in model.calibrated_classifiers_:
    assert calibrated.method == 'sigmoid'
    calibrator = calibrated.calibrators[0]
    classifiers.append({
        'weights': [rounded(w) for w in calibrated.estimator.coef_[0]],
        'bias': rounded(calibrated.estimator.intercept_[0]),
        # sklearn's sigmoid calibration: p = 1 / (1 + exp(a * decision + b))
        'a': rounded(calibrator.a_), 'b': rounded(calibrator.b_),
    })

exported = {
    'name': 'alt-profanity-check',
    'source': {
        'package': 'alt-profanity-check', 'version': '1.9.1', 'registry': 'PyPI', 'licence': 'MIT',
        'wheelSha256': hashlib.sha256(wheel.read_bytes()).hexdigest(),
        'exportedBy': 'scripts/export-profanity-model.py',
    },
    'terms': terms,
    'idf': [rounded(value) for value in vectorizer.idf_],
    'classifiers': classifiers,
}
output.write_text(json.dumps(exported, separators=(',', ':')) + '\n')
print(f'{len(terms)} terms, {len(classifiers)} classifiers -> {output}')
