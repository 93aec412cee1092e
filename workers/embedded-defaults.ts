import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ActivityDependencies } from '../activities';
import { HashingEmbedder } from '../activities/retrieval/hashing-embedder';
import { LanceDbStore } from '../activities/retrieval/lancedb-store';

/** The one-machine, offline layers: embedded LanceDB store under `dataDir` and the local embedder. */
export async function openEmbeddedDefaults(dataDir: string): Promise<ActivityDependencies> {
  const embedder = new HashingEmbedder();
  const directory = join(dataDir, 'vectors');
  mkdirSync(directory, { recursive: true });
  const store = await LanceDbStore.open(directory, `chunks_${embedder.id.replace(/[^a-z0-9]/gi, '_')}`, embedder.dimensions);
  return { embedder, store };
}
