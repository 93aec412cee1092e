import type { SluiceClient } from '../sluice-client';

// What every `sluice` command shares.

/** The tenant a command acts for when `-t` is not given. */
export const defaultTenant = process.env.SLUICE_TENANT || 'demo';

/** Runs a command's work with a connected client and closes it afterwards. */
export type WithClient = <T>(run: (client: SluiceClient) => Promise<T>) => Promise<T>;

/**
 * Rows under a header with each column as wide as its widest cell; columns from
 * `firstNumericColumn` on are right-aligned (counts), the others left-aligned.
 */
export function formatTable(header: string[], rows: string[][], firstNumericColumn = header.length): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const pad = (cell: string, column: number): string =>
    (column >= firstNumericColumn ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!));
  const line = (cells: string[]): string => cells.map(pad).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
