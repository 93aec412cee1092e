// Deliberately mutable module state: counts calls, so a test can tell whether two workflow runs
// evaluated this module once (shared: 1 then 2) or each its own copy (1 and 1).
let calls = 0;

export function countCall(): number {
  calls += 1;
  return calls;
}
