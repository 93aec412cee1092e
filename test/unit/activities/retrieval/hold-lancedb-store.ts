// A second process on an embedded store, for the store-lock tests: opens the LanceDB store under
// argv[2], writes one chunk, prints `ready` on stdout, then holds the store until it is killed
// (argv[3] = 'hold') or exits normally without closing it (argv[3] = 'exit').
import { HashingEmbedder } from '../../../../activities/retrieval/hashing-embedder';
import { LanceDbStore } from '../../../../activities/retrieval/lancedb-store';

async function main(): Promise<void> {
  const [directory, mode] = process.argv.slice(2);
  const embedder = new HashingEmbedder(8);
  const store = await LanceDbStore.open(directory!, 'chunks', embedder.dimensions);
  const text = 'written by the first process';
  await store.upsert([{
    id: 'held-0', tenant: 'acme', documentId: 'held', chunkIndex: 0, title: 'held', source: 'held.md', text,
    vector: (await embedder.embed([text]))[0]!,
  }]);
  process.stdout.write('ready\n');
  if (mode === 'exit') process.exit(0);
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
