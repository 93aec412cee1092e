// Words of a question that the shared stop list keeps (stored lexical terms and vectors were built with it)
// but that say nothing of what the question is about. The offline answer (models/extractive-answer.ts) and
// the off-topic check (off-topic.ts) both set them aside.

/**
 * How a question is asked, not what about: a passage sentence holding "did" or "many" answers nothing by it.
 * (The stop list already drops what, when, who and the like.)
 */
export const questionFiller: ReadonlySet<string> = new Set(
  'did many much name named called according type kind'.split(' '),
);

/**
 * Pronouns. They help rank a sentence that matches the question otherwise ("his election"), but a sentence
 * matching only "my" answers nothing ("Can I change my email address? Yes, in Settings > Account." does not
 * answer "How do I reset my password?"), and "our" in "What is our refund policy?" is in no document.
 */
export const pronouns: ReadonlySet<string> = new Set('my me mine we us our ours he him his she her hers'.split(' '));
