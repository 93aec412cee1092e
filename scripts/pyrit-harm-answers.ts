// Model answers with human harm scores, from PyRIT's wheel on PyPI (MIT; pinned and checked by sha256), as
// training rows for the safety gate (scripts/train-linear-gate.ts, scripts/train-safety-second-stage.ts). The
// gate checks answers, and the moderation sets here are forum posts and tweets: trained on those alone, it
// recalled 24% of the harmful answers in this set (README "Quality"). About 1 row in 5 is held out by the
// rule every gate uses (bench/gates/training-provenance.ts), so the moderation bench can score the rest.
// The first training run downloads the wheel (pip, from the package registry) and exports its rows with
// scripts/export-pyrit-harm-scores.py into .tools/training-data/; later runs read that file.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonLines } from '../bench/gates/metrics';
import { isHeldOut } from '../bench/gates/training-provenance';

const wheel = {
  requirement: 'pyrit==1.1.0',
  sha256: '84581036bace7ff2aa92712e1e3f472a3a3bccc77567d5fbe642540c0ba20b0a',
};
const projectRoot = join(__dirname, '..');
/** Where the exported rows are kept between training runs (ignored by git, like every installed tool). */
export const pyritHarmAnswersPath = join(projectRoot, '.tools', 'training-data', 'pyrit-1.1.0-harm-answers.jsonl');

const harmAnswerRow = z.object({ text: z.string().min(1), flagged: z.number().int().min(0).max(1) });

/** Downloads the pinned wheel into a temporary folder, checks it, and exports its scored answers. */
function exportHarmAnswers(): void {
  const python = process.env.SLUICE_PYTHON ?? 'python3';
  const folder = mkdtempSync(join(tmpdir(), 'sluice-pyrit-'));
  try {
    execFileSync(python, ['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps',
      '--only-binary=:all:', '--dest', folder, wheel.requirement], { stdio: ['ignore', 'inherit', 'inherit'] });
    const file = readdirSync(folder).find((name) => name.endsWith('.whl'));
    if (!file) throw new Error(`pip downloaded no wheel for ${wheel.requirement}`);
    const digest = createHash('sha256').update(readFileSync(join(folder, file))).digest('hex');
    if (digest !== wheel.sha256) {
      throw new Error(`${file} has sha256 ${digest}, not the pinned ${wheel.sha256}: the training data would differ`);
    }
    mkdirSync(join(pyritHarmAnswersPath, '..'), { recursive: true });
    const partial = `${pyritHarmAnswersPath}.partial`;
    execFileSync(python, [join(__dirname, 'export-pyrit-harm-scores.py'), join(folder, file), partial],
      { stdio: ['ignore', process.stderr, 'inherit'] });
    renameSync(partial, pyritHarmAnswersPath);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The scored answers the safety models train on (held-out rows left out), exported on first use. */
export function pyritHarmAnswers(): { text: string; label: number }[] {
  if (!existsSync(pyritHarmAnswersPath)) exportHarmAnswers();
  return readJsonLines(pyritHarmAnswersPath)
    .map((row) => harmAnswerRow.parse(row))
    .filter((row) => !isHeldOut(row.text))
    .map((row) => ({ text: row.text, label: row.flagged }));
}
