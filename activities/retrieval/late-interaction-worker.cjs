// Runs the ONNX late-interaction (ColBERT) encoder in a worker thread for OnnxLateInteractionReranker
// (late-interaction-reranker.ts): a query's and its passages' token ids in, one MaxSim score per passage
// out. Plain CommonJS, like onnx-session-worker.cjs, because worker threads start without the TypeScript
// loader. The scoring runs here too, so neither the encoding nor the token-by-token products hold the
// activity worker's event loop. A passage's token states are kept, least recently used out first, up to
// `cacheBytes`: the passages a tenant's questions keep finding are encoded once.
const { parentPort, workerData } = require('node:worker_threads');
const ort = require('onnxruntime-node');

const ready = ort.InferenceSession.create(workerData.modelPath, workerData.sessionOptions);
const cacheBytes = workerData.cacheBytes ?? 0;
/** Passage text → its token states; a Map iterates in insertion order, so the first key is the oldest. */
const cached = new Map();
let cachedBytes = 0;

const bytesOf = (vectors) => vectors.reduce((sum, vector) => sum + vector.byteLength, 0);

function remember(key, vectors) {
  const bytes = bytesOf(vectors);
  if (bytes > cacheBytes) return;
  cached.set(key, vectors);
  cachedBytes += bytes;
  for (const [oldest, old] of cached) {
    if (cachedBytes <= cacheBytes) break;
    cached.delete(oldest);
    cachedBytes -= bytesOf(old);
  }
}

/** A passage's token states from the cache (marked as just used), else encoded and kept. */
async function passageVectors(session, passage, encoded) {
  const hit = cached.get(passage.key);
  if (hit) {
    cached.delete(passage.key);
    cached.set(passage.key, hit);
    return hit;
  }
  const vectors = await tokenVectors(session, passage.inputIds, passage.keep);
  encoded.count += 1;
  remember(passage.key, vectors);
  return vectors;
}

/** The L2-normalised hidden state of each kept token of one text (run alone: see the reranker). */
async function tokenVectors(session, inputIds, keep) {
  const length = inputIds.length;
  const shape = [1, length];
  const output = await session.run({
    input_ids: new ort.Tensor('int64', inputIds, shape),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(length).fill(1n), shape),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(length), shape),
  });
  const states = output.last_hidden_state;
  const hidden = states.dims[2];
  const vectors = [];
  for (let token = 0; token < length; token++) {
    if (!keep[token]) continue;
    const vector = states.data.slice(token * hidden, (token + 1) * hidden);
    let norm = 0;
    for (let dimension = 0; dimension < hidden; dimension++) norm += vector[dimension] * vector[dimension];
    norm = Math.sqrt(norm) || 1;
    for (let dimension = 0; dimension < hidden; dimension++) vector[dimension] /= norm;
    vectors.push(vector);
  }
  return vectors;
}

/** The mean over the query's tokens of each one's best cosine with a passage token. */
function maxSim(query, passage) {
  let total = 0;
  for (const queryVector of query) {
    let best = -1;
    for (const passageVector of passage) {
      let dot = 0;
      for (let dimension = 0; dimension < queryVector.length; dimension++) {
        dot += queryVector[dimension] * passageVector[dimension];
      }
      if (dot > best) best = dot;
    }
    total += best;
  }
  return query.length === 0 ? 0 : total / query.length;
}

parentPort.on('message', async (request) => {
  try {
    const session = await ready;
    const query = await tokenVectors(session, request.query.inputIds, request.query.keep);
    const scores = new Float32Array(request.passages.length);
    const encoded = { count: 0 };
    for (const [index, passage] of request.passages.entries()) {
      scores[index] = maxSim(query, await passageVectors(session, passage, encoded));
    }
    parentPort.postMessage({ id: request.id, scores, encodedPassages: encoded.count }, [scores.buffer]);
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
