// Tables as text a reader of one row understands: an HTML data table (parse-html.ts; Word files arrive as HTML)
// and a CSV file (parse-csv.ts) both become one line per row, each cell named by its column. The offline answer
// reads such a row back (`rowCellValues`), so the format is written and read here only.

/**
 * One table row as a sentence. Under a header each cell is named by its column ("Plan: Pro; Price: $25/month."),
 * so a row read alone, as a retrieved chunk or a quoted sentence, still says what its numbers are. Without a
 * header, cells are joined with " | ". Empty cells are left out.
 */
export function rowText(cells: readonly string[], header: readonly string[] | undefined): string {
  if (!header) return cells.filter(Boolean).join(' | ');
  const named = cells.map((text, index) => (text && header[index] ? `${header[index]}: ${text}` : text));
  const line = named.filter(Boolean).join('; ');
  return line && !/[.!?]$/.test(line) ? `${line}.` : line;
}

// A row with a header, as `rowText` writes it: "Name: value; Name: value."
const namedRow = /^(?:[^:;]{1,60}: [^;]+; )+[^:;]{1,60}: [^;]+$/;

/** The cell values of a row `rowText` wrote under a header, without the column names; undefined for other text. */
export function rowCellValues(sentence: string): string | undefined {
  if (!namedRow.test(sentence)) return undefined;
  return sentence.split('; ').map((cell) => cell.slice(cell.indexOf(': ') + 2)).join('; ');
}
