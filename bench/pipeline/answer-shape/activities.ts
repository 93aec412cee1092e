/** A payload of `size` characters: no work beyond making it. */
export async function echoBytes(size: number): Promise<string> {
  return 'x'.repeat(size);
}
