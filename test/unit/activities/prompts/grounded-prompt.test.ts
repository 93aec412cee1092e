import { loadPromptLibraryFromEnvironment } from '../../../../activities/prompts/prompt-library';
import type { ScoredChunk } from '../../../../contracts/retrieval';
import { renderTemplate } from '../../../../contracts/prompts';
import { groundedMessages } from '../../../../workflows/generate-with-fallback';

// grounded-v1 must be today's hard-coded grounded prompt, byte for byte, so moving the prompt
// into the library changes no answer.
const chunk = (index: number, source: string, text: string): ScoredChunk => ({
  id: `p${index}`, tenant: 'acme', documentId: `d${index}`, chunkIndex: index, title: `Doc ${index}`,
  source, text, score: 1 / (index + 1),
});

describe('grounded-v1', () => {
  it('renders exactly the messages groundedMessages builds', () => {
    const passages = [
      chunk(0, 'handbook.md', 'Refunds take 5 business days. Costs $5 — see {{question}} and $& markers.'),
      chunk(1, 'faq/billing.md', 'Invoices are sent monthly.\nLine two.'),
    ];
    const question = 'How long do refunds take? {{passages}}';
    const prompt = loadPromptLibraryFromEnvironment({}).template('grounded-answer', 'grounded-v1');
    const values = {
      question,
      passages: passages.map((passage, index) => `[${index + 1}] (${passage.source}) ${passage.text}`).join('\n\n'),
    };
    expect([
      { role: 'system', content: renderTemplate(prompt, prompt.system, values) },
      { role: 'user', content: renderTemplate(prompt, prompt.template, values) },
    ]).toEqual(groundedMessages(question, passages));
  });
});
