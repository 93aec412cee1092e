// Reads one PDF's text layer with pdf.js in a worker thread for parse-pdf.ts. Plain CommonJS because
// worker threads start without the TypeScript loader; pdf.js is an ES module, loaded by the native
// dynamic import (a thread is outside jest's module sandbox too). A thread of its own keeps a large or
// hostile file off the activity worker's event loop and inside its own memory limit, and can be stopped.
const { parentPort, workerData } = require('node:worker_threads');

async function read() {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await pdfjs.getDocument({
    data: workerData.bytes, isEvalSupported: false, disableFontFace: true, useSystemFonts: false,
    stopAtErrors: false, verbosity: pdfjs.VerbosityLevel.ERRORS,
  }).promise;
  try {
    if (document.numPages > workerData.maxPages) {
      return { ok: false, reason: `PDF has more than ${workerData.maxPages} pages` };
    }
    const pages = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      pages.push(content.items.filter((item) => 'str' in item).map((item) => ({
        str: item.str, height: item.height, y: item.transform[5], hasEOL: Boolean(item.hasEOL),
      })));
      page.cleanup();
    }
    const title = (await document.getMetadata()).info?.Title;
    return { ok: true, pages, title: typeof title === 'string' ? title : undefined };
  } finally {
    await document.destroy();
  }
}

read().then((result) => parentPort.postMessage(result), (error) => parentPort.postMessage({
  ok: false, reason: error && error.name === 'PasswordException' ? 'PDF is encrypted' : 'not a readable PDF',
}));
