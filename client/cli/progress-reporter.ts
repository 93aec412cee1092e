import { SingleBar, Presets } from 'cli-progress';
import type { IngestProgress } from '../../contracts/ingest';

/** How ingest progress is shown. */
export interface ProgressReporterOptions {
  /** @default process.stderr */
  stream?: NodeJS.WriteStream;
  /** Whether a redrawn bar may be used (a terminal only); false gives a line per change. @default true */
  bar?: boolean;
}

/**
 * Shows ingest progress on stderr: a bar on a terminal, a line per change otherwise (logs, CI,
 * `--json`, where a redrawn bar would only be noise in a captured stream).
 */
export function createProgressReporter(options: ProgressReporterOptions = {}) {
  const stream = options.stream ?? process.stderr;
  const bar = (options.bar ?? true) && stream.isTTY
    ? new SingleBar({
      stream, format: 'ingest [{bar}] {value}/{total} documents | {chunks} chunks', hideCursor: true,
    }, Presets.shades_classic)
    : undefined;
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
      const { processedDocuments, totalDocuments, chunks } = progress;
      const line = `ingest: ${processedDocuments}/${totalDocuments} documents, ${chunks} chunks`;
      if (line !== last) stream.write(`${line}\n`);
      last = line;
    },
    stop(): void {
      bar?.stop();
    },
  };
}
