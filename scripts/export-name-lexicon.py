"""Exports the person-name lists of Faker (a PyPI package, MIT) to activities/gates/pii/faker-names.json.

Faker's person providers list given names and surnames for 87 locales, taken from national
statistics and name registers (the US census, Statistics Finland, Iceland's register, ...). The PII
gate reads them as a name gazetteer beside compromise's lexicon, which knows ~3,000 mostly English
given names. Cyrillic names are transliterated (Крылова -> Krylova), Japanese and Chinese ones come
from Faker's own romanised lists; other scripts are left out, since the gate reads Latin letters.

Run once by hand (the JSON is committed; nothing runs at install or at run time):
  pip download faker==40.63.0 --no-deps -d /tmp/faker-wheel
  python3 scripts/export-name-lexicon.py /tmp/faker-wheel/faker-40.63.0-py3-none-any.whl
"""
import hashlib
import importlib
import json
import pkgutil
import re
import sys
from pathlib import Path

wheel = Path(sys.argv[1])
sys.path.insert(0, str(wheel))  # a pure-Python wheel is a zip Python imports from
import faker.providers.person as person  # noqa: E402

output = Path(__file__).resolve().parent.parent / 'activities' / 'gates' / 'pii' / 'faker-names.json'

CYRILLIC = dict(zip(
    'абвгдезийклмнопрстуфцчшщъыьэюяёжхіїєґ',
    ['a', 'b', 'v', 'g', 'd', 'e', 'z', 'i', 'y', 'k', 'l', 'm', 'n', 'o', 'p', 'r', 's', 't', 'u', 'f', 'ts',
     'ch', 'sh', 'shch', '', 'y', '', 'e', 'yu', 'ya', 'yo', 'zh', 'kh', 'i', 'yi', 'ye', 'g'],
))


def transliterate(word):
    """Cyrillic to Latin as English text writes Russian names: Е is Ye at a word's start or after a vowel."""
    out = []
    for index, char in enumerate(word.lower()):
        if char == 'е' and (index == 0 or word[index - 1].lower() in 'аеёиоуыэюяьъ'):
            out.append('ye')
        else:
            out.append(CYRILLIC.get(char, char))
    latin = ''.join(out)
    return latin[:1].upper() + latin[1:]


LATIN_WORD = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ][A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'’-]+$")


def words_of(name):
    """The capitalised words of a name ("de la Cruz" gives "Cruz"), in Latin letters, three letters or more."""
    for word in name.split():
        if re.search('[\u0400-\u04ff]', word):
            word = transliterate(word)
        if len(word) >= 3 and word[0].isupper() and LATIN_WORD.match(word):
            yield word


def names_in(value):
    if isinstance(value, dict):
        value = list(value.keys())
    if isinstance(value, (list, tuple)):
        return [name for name in value if isinstance(name, str)]
    return []


given, surnames = set(), set()
for module in pkgutil.iter_modules(person.__path__):
    provider = importlib.import_module(f'faker.providers.person.{module.name}').Provider
    for attribute in dir(provider):
        if not attribute.endswith(('names', 'names_male', 'names_female', 'names_nonbinary', 'names_unisex')):
            continue
        if not attribute.startswith(('first_', 'last_')):
            continue
        target = given if attribute.startswith('first_') else surnames
        for name in names_in(getattr(provider, attribute)):
            target.update(words_of(name))

payload = {
    'source': f'{wheel.name} (MIT), faker/providers/person/*',
    'sha256': hashlib.sha256(wheel.read_bytes()).hexdigest(),
    'given': sorted(given, key=str.lower),
    'surnames': sorted(surnames, key=str.lower),
}
output.write_text(json.dumps(payload, ensure_ascii=False, separators=(',', ':')) + '\n', encoding='utf-8')
print(f'{len(given)} given names, {len(surnames)} surnames -> {output}')
