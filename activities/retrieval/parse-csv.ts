import { rowText } from './table-rows';

// CSV and TSV files (price lists, product catalogues, FAQ exports from a spreadsheet) as text: the first row
// names the columns, every other row becomes one sentence of named cells ("Plan: Pro; Price: 25 USD."),
// as an HTML data table does, so a retrieved chunk or a quoted row says what its numbers are.

/**
 * The records of delimited text, RFC 4180 style: a field in double quotes may hold the delimiter, line breaks
 * and `""` for a quote; lines end in LF or CRLF. An unterminated quote runs to the end of the text.
 */
export function parseDelimited(text: string, delimiter: ',' | '\t'): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[index + 1] === '"') {
        field += '"';
        index++;
      } else quoted = false;
    } else if (char === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (char === delimiter) {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || record.length) records.push([...record, field]);
  return records;
}

/** A delimited file as one paragraph per data row, its cells named by the header row; '' when it has no data. */
export function delimitedToText(text: string, delimiter: ',' | '\t'): string {
  const clean = (cell: string) => cell.replace(/\s+/g, ' ').trim();
  const rows = parseDelimited(text, delimiter).map((cells) => cells.map(clean)).filter((cells) => cells.some(Boolean));
  const [header, ...data] = rows;
  return data.map((cells) => rowText(cells, header)).filter(Boolean).join('\n\n');
}
