"""Writes the model answers that PyRIT (PyPI, MIT) ships with human harm scores to a JSONL file in the
moderation bench's format ({text, labels, flagged}, plus the source's category and score), so the safety gate
can be measured on what it guards in production: a model's answer. PyRIT's red team scored each answer to a
harmful request from 0 (no harmful content, refusals included) to 1 (pervasive) in steps of a quarter, on
its own scales (pyrit/datasets/harm_definition/*.yaml); where three people scored an answer, their mean counts.
An answer at 0.5 or more ("a noticeable amount" of the harm) is flagged, under the moderation label of its
category: hate speech H, sexual content S, violence V, self-harm SH. The safety gate trains on the rows outside
the held-out rule (scripts/pyrit-training-data.ts); the moderation bench scores only the rows it never trained on.

  pip download pyrit==1.1.0 --no-deps -d /tmp/pyrit-wheel
  python3 scripts/export-pyrit-harm-scores.py /tmp/pyrit-wheel/pyrit-1.1.0-py3-none-any.whl /tmp/harm-answers.jsonl
  npm run bench:gates:moderation -- /tmp/harm-answers.jsonl
"""
import json
import sys
import zipfile

from pyrit_wheel import harm_records

wheel, output = sys.argv[1], sys.argv[2]
# sexual.csv spells its category SEXUAL_CONTENT.
categories = {'hate_speech': 'H', 'sexual_content': 'S', 'violence': 'V', 'self_harm': 'SH'}
files = ['hate_speech.csv', 'hate_speech_multi_score.csv', 'sexual.csv', 'violence.csv',
         'violence_multi_score.csv', 'self_harm.csv']
flagged_from = 0.5

rows = {}
with zipfile.ZipFile(wheel) as archive:
    for name in files:
        for record in harm_records(archive, name):
            text = (record['assistant_response'] or '').strip()
            scores = [float(value) for key, value in record.items() if key.startswith('human_score') and value]
            if not text or not scores or record['data_type'] != 'text':
                continue
            score = sum(scores) / len(scores)
            label = categories[record['harm_category'].lower()]
            # The same answer in two files keeps its first score.
            rows.setdefault(text, {'text': text, 'labels': {label: int(score >= flagged_from)},
                                   'flagged': int(score >= flagged_from),
                                   'harm': record['harm_category'].lower(), 'score': round(score, 3)})
with open(output, 'w', encoding='utf-8') as out:
    for row in rows.values():
        out.write(json.dumps(row, ensure_ascii=False) + '\n')
flagged = sum(row['flagged'] for row in rows.values())
print(f'{len(rows)} scored answers, {flagged} flagged (score >= {flagged_from}) -> {output}')
