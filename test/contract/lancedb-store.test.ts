import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LanceDbStore } from '../../activities/retrieval/lancedb-store';
import { contractDimensions, describeVectorStoreContract } from './vector-store-contract';

describeVectorStoreContract('LanceDB (embedded default)', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'sluice-contract-lance-'));
  // A low optimize threshold makes the large-upsert case exercise index folding too.
  const store = await LanceDbStore.open(directory, 'chunks', contractDimensions, { optimizeEveryRows: 500 });
  return { store, cleanup: async () => rmSync(directory, { recursive: true, force: true }) };
});
