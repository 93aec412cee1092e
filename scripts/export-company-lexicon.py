"""Exports the names of the companies in 20 stock indices (S&P 500, NASDAQ 100, DAX, FTSE 100, NIKKEI 225, ...)
from pytickersymbols (a PyPI package, MIT) to activities/gates/pii/listed-companies.json, for the PII gate's
optional ORGANIZATION type (activities/gates/pii/organisation-names.ts). Each name is kept as written and without
its legal form ("Marriott International, Inc." -> "Marriott International"), folded to lower case, since people
write a firm's name without "Inc." more often than with it.

Run once by hand (the JSON is committed; nothing runs at install or at run time):
  pip download pytickersymbols==1.17.10 --no-deps -d /tmp/pytickersymbols-wheel
  python3 scripts/export-company-lexicon.py /tmp/pytickersymbols-wheel/pytickersymbols-1.17.10-py3-none-any.whl
"""
import hashlib
import json
import re
import sys
from pathlib import Path

EXPECTED_SHA256 = '126ba59039f62fbde99d02b49eb180f0eb7987120aa8daaa25fe4b1c1651eb57'
# Legal forms and listing words dropped from the end of a name, as people leave them out.
LEGAL_FORMS = re.compile(
    r'(?:,?\s+(?:inc|corp|corporation|co|company|ltd|limited|plc|ag|se|sa|nv|n\.v|s\.a|s\.p\.a|spa|asa|ab|oyj|'
    r'holdings?|group|kgaa|& co|ltd\.|the))+\.?$', re.IGNORECASE)

wheel = Path(sys.argv[1])
output = Path(__file__).resolve().parent.parent / 'activities' / 'gates' / 'pii' / 'listed-companies.json'
digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
if digest != EXPECTED_SHA256:
    sys.exit(f'{wheel.name}: sha256 {digest}, expected {EXPECTED_SHA256} (pytickersymbols 1.17.10)')
sys.path.insert(0, str(wheel))  # a pure-Python wheel is a zip Python imports from
from pytickersymbols import PyTickerSymbols  # noqa: E402

names = set()
for stock in PyTickerSymbols().get_all_stocks():
    name = re.sub(r'^the\s+', '', stock['name'].strip(), flags=re.IGNORECASE)
    for variant in (name, LEGAL_FORMS.sub('', name).strip(' ,.')):
        # One or two letters ("3M" aside) name nothing a text can be matched on.
        if len(variant) >= 3 or any(char.isdigit() for char in variant):
            names.add(variant.lower())
output.write_text(json.dumps({
    'source': f'{wheel.name} (MIT), the stocks of its 20 indices',
    'sha256': digest,
    'companies': sorted(names),
}, ensure_ascii=False, separators=(',', ':')) + '\n', encoding='utf-8')
print(f'{len(names)} company names -> {output}')
