import { SingleBar, Presets } from 'cli-progress';
import type { IngestProgress } from '../../contracts/ingest';

/** Shows ingest progress: a bar on a terminal, a line per change otherwise (logs, CI). */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const bar = stream.isTTY ? new SingleBar({ stream, format: 'ingest [{bar}] {value}/{total} documents | {chunks} chunks', hideCursor: true }, Presets.shades_classic) : undefined;
  let started = false;
  let last = '';
  return {
    update(progress: IngestProgress): void {
      if (bar) {
        if (!started) bar.start(Math.max(progress.totalDocuments, 1), 0, { chunks: 0 });
        started = true;
        bar.setTotal(Math.max(progress.totalDocuments, 1));
        bar.update(progress.processedDocuments, { chunks: progress.chunks });
        return;
      }
      const line = `ingest: ${progress.processedDocuments}/${progress.totalDocuments} documents, ${progress.chunks} chunks`;
      if (line !== last) stream.write(`${line}\n`);
      last = line;
    },
    stop(): void {
      bar?.stop();
    },
  };
}
