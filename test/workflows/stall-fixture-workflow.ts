// A workflow whose code can stall its workflow thread: `spin` busy-waits for that many ms inside workflow
// code (Date is the workflow's clock, which stands still, so it counts iterations instead); -1 never returns.
export async function stallFixtureWorkflow(spin: number): Promise<string> {
  let iterations = 0;
  const limit = spin < 0 ? Number.POSITIVE_INFINITY : spin * 200_000;
  while (iterations < limit) iterations += 1;
  return `spun ${iterations}`;
}
