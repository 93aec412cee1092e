// SQuAD's answer normalisation: lower case, punctuation and the articles a/an/the removed,
// whitespace collapsed. An answer "contains" a gold answer when the normalised gold appears in the
// normalised answer on word boundaries ("1,000" does not match inside "11,000").

/** A text as SQuAD's evaluation script normalises it before comparing answers. */
export function normaliseAnswer(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\b(?:a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether `text` contains any of the gold answers once both are normalised. */
export function containsGold(text: string, goldAnswers: readonly string[]): boolean {
  const haystack = ` ${normaliseAnswer(text)} `;
  return goldAnswers.some((gold) => {
    const needle = normaliseAnswer(gold);
    return needle.length > 0 && haystack.includes(` ${needle} `);
  });
}
