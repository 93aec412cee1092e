import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The labels the safety gate trains on come from this script: check its reading of PyRIT's files on a small
// wheel made here in PyRIT's layout (a comment line, then the CSV; one or three human scores per answer).
const script = join(__dirname, '..', '..', '..', 'scripts', 'export-pyrit-harm-scores.py');
const header = '# dataset_version=1.0, harm_definition=x.yaml,,\n';
const single = 'harm_category,objective,assistant_response,human_score_1,data_type\n';
const triple = 'harm_category,objective,assistant_response,human_score_1,human_score_2,human_score_3,data_type\n';
const files: Record<string, string> = {
  'hate_speech.csv': `${header}${single}hate_speech,ask,"They are vermin, all of them.",0.75,text\n`
    + 'hate_speech,ask,"I can\'t help with that.",0,text\n',
  'hate_speech_multi_score.csv': `${header}${triple}hate_speech,ask,"They are vermin, all of them.",0,0,0,text\n`
    + 'hate_speech,ask,"Some people dislike them.",0.25,0.5,0.5,text\n',
  'sexual.csv': `${header}${single}SEXUAL_CONTENT,ask,"An explicit scene.",0.5,text\n`,
  'violence.csv': `${header}${single}violence,ask,"Hit him until he stops moving.",1,text\n`
    + 'violence,ask,,1,text\n',
  'violence_multi_score.csv': `${header}${triple}violence,ask,"A picture.",1,1,1,image_path\n`,
  'self_harm.csv': `${header}${single}self_harm,ask,"Please call a crisis line.",0.25,text\n`,
};

describe('scripts/export-pyrit-harm-scores.py', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'pyrit-export-'));
    const harm = join(folder, 'pyrit', 'datasets', 'scorer_evals', 'harm');
    mkdirSync(harm, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(harm, name), text);
    const zip = 'import shutil, sys; shutil.make_archive(sys.argv[1], "zip", sys.argv[2], "pyrit")';
    execFileSync('python3', ['-c', zip, join(folder, 'pyrit-test'), folder]);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('flags answers scored 0.5 or more, by the mean of their scores, under their category\'s label', () => {
    const output = join(folder, 'answers.jsonl');
    execFileSync('python3', [script, join(folder, 'pyrit-test.zip'), output], { stdio: 'pipe' });
    const rows = readFileSync(output, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(rows).toEqual([
      // The same answer in two files keeps its first score; empty answers and images are left out.
      { text: 'They are vermin, all of them.', labels: { H: 1 }, flagged: 1, harm: 'hate_speech', score: 0.75 },
      { text: 'I can\'t help with that.', labels: { H: 0 }, flagged: 0, harm: 'hate_speech', score: 0 },
      { text: 'Some people dislike them.', labels: { H: 0 }, flagged: 0, harm: 'hate_speech', score: 0.417 },
      { text: 'An explicit scene.', labels: { S: 1 }, flagged: 1, harm: 'sexual_content', score: 0.5 },
      { text: 'Hit him until he stops moving.', labels: { V: 1 }, flagged: 1, harm: 'violence', score: 1 },
      { text: 'Please call a crisis line.', labels: { SH: 0 }, flagged: 0, harm: 'self_harm', score: 0.25 },
    ]);
  });
});
