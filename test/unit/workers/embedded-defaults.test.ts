import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRetrievalConfig } from '../../../contracts/retrieval';
import { createEmbedder, openEmbeddedDefaults } from '../../../workers/embedded-defaults';

// The OpenAI embedder and the Qdrant store are loaded only when configured (a default worker never pays for their
// SDKs): these paths must still build what the settings name.
describe('embedded defaults, non-default layers', () => {
  it('builds the OpenAI-compatible embedder SLUICE_EMBEDDER=openai names', async () => {
    const environment = { SLUICE_EMBEDDER: 'openai', SLUICE_EMBEDDING_MODEL: 'text-embedding-3-small' };
    const embedder = await createEmbedder(loadRetrievalConfig(environment), { OPENAI_API_KEY: 'sk-test' });
    expect(embedder.id).toBe('openai:text-embedding-3-small');
    expect(embedder.constructor.name).toBe('OpenAIEmbedder');
  });

  it('opens the Qdrant store SLUICE_VECTOR_STORE=qdrant names, failing on a server that is not there', async () => {
    const environment = {
      SLUICE_VECTOR_STORE: 'qdrant', QDRANT_URL: 'http://127.0.0.1:1', SLUICE_EMBEDDER: 'hashing',
    };
    const opening = openEmbeddedDefaults(mkdtempSync(join(tmpdir(), 'sluice-defaults-')), environment);
    // The Qdrant client tried to reach the server: its module was loaded and the store asked for the collection.
    await expect(opening).rejects.toThrow(/fetch failed|ECONNREFUSED|connect/i);
  });
});
