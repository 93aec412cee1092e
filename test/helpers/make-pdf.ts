// Writes a small, valid PDF of text lines (Helvetica, no compression) for ingest tests: a fixture made by
// code rather than a binary file in the repository, so a reader sees exactly what the PDF holds.

/** One line: its type size in points and its text (Latin-1). */
export type PdfLine = [size: number, text: string];

/** A PDF whose pages hold these lines, each below the last at 1.3 times its type size. */
export function makePdf(pages: readonly (readonly PdfLine[])[], options: { title?: string } = {}): Buffer {
  const objects: string[] = [];
  const add = (body: string): number => objects.push(body);
  const escape = (text: string): string => text.replace(/[\\()]/g, (character) => `\\${character}`);
  const catalog = add('');
  const pageTree = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const kids = pages.map((lines) => {
    let y = 740;
    const operators = lines.map(([size, text]) => {
      y -= size * 1.3;
      return `BT /F1 ${size} Tf 72 ${y.toFixed(1)} Td (${escape(text)}) Tj ET`;
    }).join('\n');
    const content = add(`<< /Length ${Buffer.byteLength(operators, 'latin1')} >>\nstream\n${operators}\nendstream`);
    return add(`<< /Type /Page /Parent ${pageTree} 0 R /MediaBox [0 0 612 792] `
      + `/Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`);
  });
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pageTree} 0 R >>`;
  const kidList = kids.map((kid) => `${kid} 0 R`).join(' ');
  objects[pageTree - 1] = `<< /Type /Pages /Kids [${kidList}] /Count ${kids.length} >>`;
  const info = options.title ? add(`<< /Title (${escape(options.title)}) >>`) : undefined;
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, index) => {
    const offset = Buffer.byteLength(out, 'latin1');
    out += `${index + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
    + offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R${info ? ` /Info ${info} 0 R` : ''} >>\n`
    + `startxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
