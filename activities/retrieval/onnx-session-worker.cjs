// Runs the ONNX sentence model in a worker thread for OnnxEmbedder (onnx-embedder.ts).
// Plain CommonJS because worker threads start without the TypeScript loader. A thread keeps
// inference off the activity worker's event loop (heartbeats and other activities go on) and
// gives onnxruntime its own JS realm, whose typed arrays its native binding checks against.
const { parentPort, workerData } = require('node:worker_threads');
const ort = require('onnxruntime-node');

// Session options come from OnnxWorker.start (onnxSessionOptions in onnx-worker.ts explains each choice).
const ready = ort.InferenceSession.create(workerData.modelPath, workerData.sessionOptions);

parentPort.on('message', async (request) => {
  try {
    const session = await ready;
    const { id, inputIds, attentionMask, rows, width, lengths, pooling } = request;
    const shape = [rows, width];
    const feeds = {
      input_ids: new ort.Tensor('int64', inputIds, shape),
      attention_mask: new ort.Tensor('int64', attentionMask, shape),
    };
    if (session.inputNames.includes('token_type_ids')) {
      feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(rows * width), shape);
    }
    const output = await session.run(feeds);
    const states = output[session.outputNames[0]];
    const hidden = states.dims[2];
    const data = states.data;
    // Mean pooling over each text's real tokens (sentence-transformers' MiniLM), or the [CLS] token's state
    // alone (bge); then L2 normalisation.
    const pooled = new Float32Array(rows * hidden);
    for (let row = 0; row < rows; row++) {
      const target = pooled.subarray(row * hidden, (row + 1) * hidden);
      const tokens = pooling === 'cls' ? 1 : lengths[row];
      for (let column = 0; column < tokens; column++) {
        const offset = (row * width + column) * hidden;
        for (let dimension = 0; dimension < hidden; dimension++) target[dimension] += data[offset + dimension];
      }
      let norm = 0;
      for (let dimension = 0; dimension < hidden; dimension++) norm += target[dimension] * target[dimension];
      norm = Math.sqrt(norm) || 1;
      for (let dimension = 0; dimension < hidden; dimension++) target[dimension] /= norm;
    }
    parentPort.postMessage({ id, pooled, hidden }, [pooled.buffer]);
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
