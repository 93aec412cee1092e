// A chunk of a PDF is cited with its page: its source reads "manual.pdf#page=4", the fragment a PDF viewer
// (every browser's included) opens at that page. The PDF's Markdown records where each page starts
// (parse-pdf.ts); a chunk is on the page where its text begins.

/** Where each page's text starts in a document's text: [offset, page number from 1], in order. */
export type PageStarts = readonly (readonly [offset: number, page: number])[];

/** Characters of a chunk's start looked for in the document's text. */
const probeLength = 48;

/**
 * The page each chunk begins on, or undefined where its start is not found in the text (chunks keep the text's
 * order, so each is looked for from where the one before it began).
 */
export function pagesOfChunks(
  text: string, pageStarts: PageStarts, chunkTexts: readonly string[],
): (number | undefined)[] {
  let from = 0;
  return chunkTexts.map((chunkText) => {
    const at = text.indexOf(chunkText.slice(0, probeLength), from);
    if (at < 0) return undefined;
    from = at;
    let page: number | undefined;
    for (const [offset, number] of pageStarts) {
      if (offset > at) break;
      page = number;
    }
    return page;
  });
}

/** A chunk's source with its page: "manual.pdf#page=4". */
export const sourceOnPage = (source: string, page: number | undefined): string =>
  (page === undefined ? source : `${source}#page=${page}`);
