import {
  assignVariant, PromptRenderError, promptTemplateSchema, renderTemplate, stableHash, templateVariables,
} from '../../../contracts/prompts';

const prompt = promptTemplateSchema.parse({
  id: 'p', version: 'v1',
  variables: { question: {}, tone: { required: false } },
  system: 'Be {{ tone }}.',
  template: 'Q: {{question}} ({{question}})',
});

describe('renderTemplate', () => {
  it('fills every use of a variable, leaving values verbatim', () => {
    expect(renderTemplate(prompt, prompt.template, { question: 'why $& {{tone}}?' }))
      .toBe('Q: why $& {{tone}}? (why $& {{tone}}?)');
    expect(templateVariables(prompt.system + prompt.template)).toEqual(['tone', 'question']);
  });

  it('renders a missing optional variable empty and throws on a missing required one', () => {
    expect(renderTemplate(prompt, prompt.system, {})).toBe('Be .');
    expect(() => renderTemplate(prompt, prompt.template, { tone: 'brief' })).toThrow(PromptRenderError);
    expect(() => renderTemplate(prompt, prompt.template, {})).toThrow('prompt variable {{question}} has no value');
  });

  it('throws on a variable the template does not declare', () => {
    expect(() => renderTemplate(prompt, 'Hi {{name}}', {})).toThrow(PromptRenderError);
  });
});

describe('assignVariant', () => {
  const variants = [{ name: 'control', weight: 1 }, { name: 'treatment', weight: 1 }];
  const subjects = Array.from({ length: 10_000 }, (_, index) => `tenant-${index % 7}:request-${index}`);

  it('gives a subject the same variant every time', () => {
    for (const subject of subjects.slice(0, 200)) {
      expect(assignVariant('exp', subject, variants)).toBe(assignVariant('exp', subject, [...variants]));
    }
    expect(stableHash('abc')).toBe(stableHash('abc'));
  });

  it('splits subjects by weight', () => {
    const share = (weights: number[], name: string): number => {
      const weighted = variants.map((variant, index) => ({ ...variant, weight: weights[index]! }));
      const chosen = subjects.filter((subject) => assignVariant('exp', subject, weighted).name === name);
      return chosen.length / subjects.length;
    };
    expect(Math.abs(share([1, 1], 'control') - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(share([1, 3], 'treatment') - 0.75)).toBeLessThan(0.03);
  });

  it('assigns independently per experiment', () => {
    const variantIn = (experiment: string, subject: string): string =>
      assignVariant(experiment, subject, variants).name;
    const differ = subjects.filter((subject) => variantIn('a', subject) !== variantIn('b', subject));
    expect(differ.length / subjects.length).toBeGreaterThan(0.4);
  });
});
