"""Writes test/unit/activities/gates/data/pii-formats.jsonl: structured PII values from Faker (PyPI, MIT),
an independent generator, in short sentences, as {text, spans: [{type, value, start, end}]} (the layout
of eval/pii). Phone numbers and IBANs come from 19 locales' providers, cards, SSNs and IP addresses
from en_US. The PII gate's test reads the file and expects every value found with its exact bounds.

Run once by hand (the JSONL is committed; nothing runs at install or at run time):
  pip download faker==40.63.0 --no-deps -d /tmp/faker-wheel
  python3 scripts/generate-pii-formats.py /tmp/faker-wheel/faker-40.63.0-py3-none-any.whl
"""
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, sys.argv[1])  # a pure-Python wheel is a zip Python imports from
from faker import Faker  # noqa: E402

root = Path(__file__).resolve().parent.parent
output = root / 'test' / 'unit' / 'activities' / 'gates' / 'data' / 'pii-formats.jsonl'
templates = {
    'PHONE_NUMBER': ['Please call me at {v} tomorrow.', 'My phone number is {v}', 'Contact: {v}', 'Tel. {v}',
                     'You can reach the office on {v} or by email.', 'Text {v} when you arrive.'],
    'CREDIT_CARD': ['My card number is {v}, expiry 04/27.', 'Card: {v}', 'I paid by card, {v}, and was charged twice.'],
    'IBAN_CODE': ['Please transfer the money to {v} by Friday.', 'IBAN: {v}', 'My account is {v}.'],
    'US_SSN': ['My social security number is {v}.', 'SSN {v}', 'Her SSN: {v}'],
    'IP_ADDRESS': ['The request came from {v} at noon.', 'Server IP: {v}', 'Block {v} on the firewall.'],
    'EMAIL_ADDRESS': ['Write to {v} for details.', 'email: {v}', 'Send the invoice to {v}, thanks.'],
}
# en_IN's IBAN provider writes a GB country code before an Indian-length account: no valid IBAN.
locales = ['en_US', 'en_GB', 'en_AU', 'en_CA', 'de_DE', 'fr_FR', 'es_ES', 'it_IT', 'nl_NL', 'pt_BR', 'sv_SE',
           'fi_FI', 'da_DK', 'pl_PL', 'cs_CZ', 'hu_HU', 'en_IN', 'en_NZ', 'ja_JP']
random.seed(7)
rows = []


def add(kind, value):
    text = random.choice(templates[kind]).replace('{v}', value)
    start = text.index(value)
    rows.append({'text': text, 'spans': [{'type': kind, 'value': value, 'start': start, 'end': start + len(value)}]})


for index, locale in enumerate(locales):
    fake = Faker(locale)
    fake.seed_instance(index)
    for _ in range(12):
        add('PHONE_NUMBER', fake.phone_number())
        add('EMAIL_ADDRESS', fake.email())
        if locale != 'en_IN':
            add('IBAN_CODE', fake.iban())
fake = Faker('en_US')
fake.seed_instance(100)
for _ in range(40):
    add('CREDIT_CARD', fake.credit_card_number())
    add('US_SSN', fake.ssn())
    add('IP_ADDRESS', fake.ipv4_public())
    add('IP_ADDRESS', fake.ipv6())
output.write_text(''.join(json.dumps(row, ensure_ascii=False) + '\n' for row in rows), encoding='utf-8')
print(f'{len(rows)} rows -> {output}')
