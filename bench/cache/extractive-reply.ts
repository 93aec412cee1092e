// The fake model: the sentence of the retrieved passages that shares the most words with the question,
// with its passage's marker. Deterministic, so both runs would get the same answer to the same prompt.
// The paraphrase templates' filler words (tell, know, quick question, exactly) are ignored, as a model would.
const replyStopWords = new Set(
  ('the and for are was were what which who whom how when where why did does has have had that this with from ' +
    'into its you know tell can quick question exactly').split(' '),
);
const terms = (text: string): Set<string> =>
  new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((word) => word.length > 2 && !replyStopWords.has(word))
    .map((word) => word.replace(/(?<=\w{3})s$/, '')));

/**
 * The fake provider's reply (its `reply` option): reads the grounded-answer prompt
 * ("Passages:\n[n] (source) text …\n\nQuestion: q") and answers from it.
 */
export function extractiveReply(_model: string, prompt: string): string {
  const questionAt = prompt.lastIndexOf('\n\nQuestion: ');
  const question = questionAt >= 0 ? prompt.slice(questionAt + '\n\nQuestion: '.length) : prompt;
  const body = prompt.slice(Math.max(0, prompt.indexOf('Passages:\n') + 'Passages:\n'.length), questionAt);
  const wanted = terms(question);
  let best = { score: 0, sentence: '', marker: 0 };
  for (const passage of body.split(/\n\n(?=\[\d+\] )/)) {
    // The source may hold one level of parentheses: "(Victoria_(Australia))".
    const head = /^\[(\d+)\] \((?:[^()]|\([^()]*\))*\) /.exec(passage);
    if (!head) continue;
    for (const sentence of passage.slice(head[0].length).split(/(?<=[.!?])\s+(?=["'(\p{Lu}\p{N}])/u)) {
      const words = terms(sentence);
      const score = [...wanted].filter((word) => words.has(word)).length;
      if (score > best.score) best = { score, sentence: sentence.trim(), marker: Number(head[1]) };
    }
  }
  return best.score === 0 ? 'The passages do not answer this question.' : `${best.sentence} [${best.marker}]`;
}
