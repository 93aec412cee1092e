import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultPromptsFolder, loadPromptLibrary, loadPromptLibraryFromEnvironment, PromptLibraryError, promptsFolderVariable,
} from '../../../../activities/prompts/prompt-library';

// Each test edits a copy of the shipped library, so every bad file is checked against a good rest.
let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'sluice-prompts-'));
  cpSync(defaultPromptsFolder, folder, { recursive: true });
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

type Json = Record<string, unknown>;
const groundedFile = 'grounded-answer/grounded-v1.json';
const readJson = (file: string): Json => JSON.parse(readFileSync(join(folder, file), 'utf8'));
const writeJson = (file: string, value: unknown): void => writeFileSync(join(folder, file), JSON.stringify(value));
const editJson = (file: string, patch: (json: Json) => Json): void => writeJson(file, patch(readJson(file)));
const variants = (...versions: string[]) => versions.map((version, index) => ({ name: `v${index}`, version }));

/** The message of loading the edited copy: a PromptLibraryError, on one line. */
function loadError(): string {
  try {
    loadPromptLibrary(folder);
  } catch (error) {
    expect(error).toBeInstanceOf(PromptLibraryError);
    expect((error as Error).message).not.toContain('\n');
    return (error as Error).message;
  }
  throw new Error('the library loaded');
}

describe('loadPromptLibrary', () => {
  it('loads the shipped library', () => {
    const library = loadPromptLibraryFromEnvironment({});
    expect(library.promptIdFor('qa')).toBe('grounded-answer');
    expect(library.current('grounded-answer').version).toBe('grounded-v1');
    expect(library.current('judge-answer').variables).toHaveProperty('rubric');
    expect(library.current('revise-answer').variables).toHaveProperty('critique');
    expect(library.experimentFor('grounded-answer', 'acme')).toBeUndefined();
    expect(() => library.template('grounded-answer', 'grounded-v9')).toThrow(PromptLibraryError);
  });

  it('reads the folder named by SLUICE_PROMPTS_DIR, with features and experiments', () => {
    const second = { ...readJson(groundedFile), version: 'grounded-v2', route: 'support' };
    writeJson('grounded-answer/grounded-v2.json', second);
    editJson('registry.json', (registry) => ({
      ...registry,
      features: { support: 'grounded-answer' },
      experiments: [{
        id: 'terse', prompt: 'grounded-answer', tenants: ['acme'],
        variants: [{ name: 'control', version: 'grounded-v1' }, { name: 'terse', version: 'grounded-v2', weight: 3 }],
      }],
    }));
    const library = loadPromptLibraryFromEnvironment({ [promptsFolderVariable]: folder });
    expect(library.template('grounded-answer', 'grounded-v2').route).toBe('support');
    expect(library.promptIdFor('support')).toBe('grounded-answer');
    expect(library.experimentFor('grounded-answer', 'acme')?.variants.map((variant) => variant.weight)).toEqual([1, 3]);
    expect(library.experimentFor('grounded-answer', 'globex')).toBeUndefined();
  });

  it('names the file of malformed JSON', () => {
    writeFileSync(join(folder, groundedFile), '{ "id": "grounded-answer", ');
    expect(loadError()).toMatch(/^prompt library .+: grounded-answer\/grounded-v1\.json: not valid JSON \(/);
  });

  it('names the file and field of an undeclared variable', () => {
    editJson(groundedFile, (template) => ({ ...template, template: 'Passages: {{passages}} {{question}} {{tone}}' }));
    expect(loadError()).toContain(`${groundedFile}: template: uses undeclared variable {{tone}}`);
  });

  it('names the file and field of an unused variable', () => {
    editJson(groundedFile, (template) => ({ ...template, variables: { ...(template.variables as Json), tone: {} } }));
    expect(loadError()).toContain(`${groundedFile}: variables.tone: is declared but never used`);
  });

  it('names the file when its id or version does not match its path', () => {
    editJson(groundedFile, (template) => ({ ...template, id: 'grounded' }));
    expect(loadError()).toContain(`${groundedFile}: id: is grounded but the file lies under grounded-answer/`);
    editJson(groundedFile, (template) => ({ ...template, id: 'grounded-answer', version: 'grounded-v2' }));
    expect(loadError()).toContain(`${groundedFile}: version: is grounded-v2 but the file is named grounded-v1.json`);
  });

  it('names the registry field whose current version has no file', () => {
    editJson('registry.json', (registry) => ({
      ...registry, current: { ...(registry.current as Json), 'grounded-answer': 'grounded-v7' },
    }));
    const message = loadError();
    expect(message).toContain('registry.json: current.grounded-answer: version grounded-v7 has no file');
    expect(message).toContain('has no file grounded-answer/grounded-v7.json');
  });

  it('names the experiment variant whose version has no file', () => {
    editJson('registry.json', (registry) => ({
      ...registry,
      experiments: [{ id: 'e1', prompt: 'grounded-answer', variants: variants('grounded-v1', 'grounded-v3') }],
    }));
    expect(loadError()).toContain('registry.json: experiments.0.variants.1.version: version grounded-v3 has no file');
  });

  it('requires the judge and revise prompts', () => {
    editJson('registry.json', (registry) => ({
      ...registry, current: { 'grounded-answer': 'grounded-v1', 'judge-answer': 'judge-v1' },
    }));
    expect(loadError()).toContain('registry.json: current: must name a current version of revise-answer');
  });

  it('names registry schema errors and unknown feature prompts', () => {
    editJson('registry.json', (registry) => ({
      ...registry, experiments: [{ id: 'e1', prompt: 'grounded-answer', variants: [] }],
    }));
    expect(loadError()).toContain('registry.json: experiments.0.variants: needs at least two variants');
    editJson('registry.json', (registry) => ({ ...registry, experiments: [], features: { qa: 'chatty' } }));
    expect(loadError()).toContain('registry.json: features.qa: chatty has no current version');
  });

  it('rejects two experiments that share a tenant on one prompt', () => {
    const both = variants('grounded-v1', 'grounded-v1');
    editJson('registry.json', (registry) => ({
      ...registry,
      experiments: [
        { id: 'e1', prompt: 'grounded-answer', variants: both },
        { id: 'e2', prompt: 'grounded-answer', tenants: ['acme'], variants: both },
      ],
    }));
    expect(loadError()).toContain('registry.json: experiments.1.tenants: overlaps experiment e1');
  });

  it('names a missing registry', () => {
    rmSync(join(folder, 'registry.json'));
    expect(loadError()).toContain('registry.json: cannot read');
  });
});
