import { randomUUID } from 'node:crypto';
import { HashingEmbedder } from '../../../activities/retrieval/hashing-embedder';
import { QdrantStore } from '../../../activities/retrieval/qdrant-store';
import { contractDimensions, describeVectorStoreContract } from '../vector-store-contract';

// Runs only with a Qdrant server: QDRANT_URL=http://127.0.0.1:6333 npm run test:qdrant
const url = process.env.QDRANT_URL;
if (!url)
  throw new Error(
    'QDRANT_URL is not set: start Qdrant (e.g. docker run -p 6333:6333 qdrant/qdrant) and run ' +
      'QDRANT_URL=http://127.0.0.1:6333 npm run test:qdrant',
  );

describeVectorStoreContract(`Qdrant at ${url}`, async () => {
  const store = await QdrantStore.open({
    url,
    apiKey: process.env.QDRANT_API_KEY,
    collection: `sluice_contract_${randomUUID().replace(/-/g, '')}`,
    dimensions: contractDimensions,
    embedderId: new HashingEmbedder(contractDimensions).id,
  });
  return { store, cleanup: () => store.dropCollection() };
}, { isolatesTenantStatistics: false });
