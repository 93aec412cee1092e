// Converts one Word document (.docx) to HTML with mammoth in a worker thread for parse-docx.ts (see
// read-in-thread.ts for why a thread). Plain CommonJS because worker threads start without the TypeScript
// loader. Headings, lists and tables keep their structure; images and styling are left out.
const { parentPort, workerData } = require('node:worker_threads');
const mammoth = require('mammoth');

const ignoreImages = { convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })) };
mammoth.convertToHtml({ buffer: Buffer.from(workerData.bytes) }, ignoreImages).then(
  (result) => parentPort.postMessage({ ok: true, html: result.value }),
  () => parentPort.postMessage({ ok: false, reason: 'not a readable Word document' }),
);
