// Runs the ONNX cross-encoder in a worker thread for OnnxCrossEncoderReranker (onnx-reranker.ts): token
// ids of (question, passage) pairs in, one relevance logit per pair out. Plain CommonJS, like
// onnx-session-worker.cjs, because worker threads start without the TypeScript loader.
const { parentPort, workerData } = require('node:worker_threads');
const ort = require('onnxruntime-node');

const ready = ort.InferenceSession.create(workerData.modelPath, workerData.sessionOptions);

parentPort.on('message', async (request) => {
  try {
    const session = await ready;
    const shape = [request.rows, request.width];
    const output = await session.run({
      input_ids: new ort.Tensor('int64', request.inputIds, shape),
      attention_mask: new ort.Tensor('int64', request.attentionMask, shape),
      token_type_ids: new ort.Tensor('int64', request.tokenTypeIds, shape),
    });
    const logits = Float32Array.from(output[session.outputNames[0]].data);
    parentPort.postMessage({ id: request.id, logits }, [logits.buffer]);
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
