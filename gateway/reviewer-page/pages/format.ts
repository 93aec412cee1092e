// How times, scores and long texts read on the reviewer's pages: plain words, UTC times.

/** `2026-01-01 09:30 UTC`; the input as given when it is not a time. */
export function formatTime(value: string | Date): string {
  const time = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(time.getTime())) return String(value);
  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `in 3 hours`, `in 12 minutes`, or `overdue`, from `now` (milliseconds). */
export function timeUntil(value: string, now: number): string {
  const left = new Date(value).getTime() - now;
  if (Number.isNaN(left)) return '';
  if (left <= 0) return 'overdue';
  const minutes = Math.ceil(left / 60_000);
  if (minutes < 120) return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `in ${hours} hours` : `in ${Math.floor(hours / 24)} days`;
}

/** The first `length` characters of `text` on one line, with `…` when cut. */
export function excerpt(text: string, length = 140): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= length ? line : `${line.slice(0, length - 1).trimEnd()}…`;
}

/** A score in [0, 1] as `0.73`. */
export const formatScore = (score: number): string => score.toFixed(2);
