// A stand-in for the model threads of activities/retrieval (onnx-worker.ts): it echoes each request's
// value with its thread id, and exits, as a crashed thread would, when a request asks it to.
const { parentPort, threadId } = require('node:worker_threads');

parentPort.on('message', (request) => {
  if (request.exit) process.exit(1);
  parentPort.postMessage({ id: request.id, value: request.value, threadId });
});
