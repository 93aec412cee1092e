// `sluice ingest` and `sluice delete`: put documents into a tenant's store and take them out.
import { InvalidArgumentError, type Command } from 'commander';
import type { DeleteDocumentsResult, IngestResult } from '../../contracts/ingest';
import { defaultTenant, type WithClient } from './common';
import { withExamples } from './help-examples';
import { jsonOption, printNotice, printResult, type JsonFlag } from './output';
import { createProgressReporter } from './progress-reporter';

interface IngestOptions extends JsonFlag {
  tenant: string;
  upload?: boolean;
  serverPath?: boolean;
}

/** What `ingest --json` prints: the report, with where to find the run (null when nothing was sent). */
export interface IngestReport {
  workflowId: string | null;
  uiUrl: string | null;
  result: IngestResult;
}

/** A worker beside a loopback server can read this host's files; one elsewhere needs their content. */
function defaultTransfer(temporalAddress: string): 'path' | 'upload' {
  const host = temporalAddress.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || host.startsWith('127.') ? 'path' : 'upload';
}

/** The ingest report as text: skipped and partly ingested documents, then the totals. */
export function formatIngestReport({ result, uiUrl }: IngestReport): string {
  const lines = [
    ...result.documents.filter((outcome) => outcome.status === 'skipped')
      .map((document) => `skipped ${document.documentId}: ${document.reason}`),
    // JSON-lines files are ingested with some records skipped; say which.
    ...result.documents.filter((outcome) => outcome.status === 'ingested' && outcome.reason)
      .map((document) => `partly ingested ${document.documentId}: ${document.reason}`),
  ];
  if (result.documentsTruncated) lines.push('(large ingest: the report lists skipped documents only)');
  lines.push(
    `ingested ${result.ingestedDocuments} document(s), ${result.chunks} chunk(s); skipped ${result.skippedDocuments}`,
  );
  if (uiUrl) lines.push(`inspect: ${uiUrl}`);
  return lines.join('\n');
}

/** One line per deleted document. */
export function formatDeleteResult(result: DeleteDocumentsResult): string {
  return result.documents.map((document) => `${document.documentId}: ${document.deletedChunks} chunk(s) deleted`)
    .join('\n');
}

/** Adds `ingest <path>` and `delete <documentIds...>` to the CLI. */
export function registerDocumentCommands(program: Command, withClient: WithClient): void {
  const ingest = program
    .command('ingest')
    .description('ingest a folder (or file) of Markdown, text, HTML, JSON-lines, CSV/TSV, PDF and Word documents')
    .argument('<path>', 'folder or file to ingest')
    .option('-t, --tenant <tenant>', 'tenant that owns the documents', defaultTenant)
    .option('--upload', 'read the files here and send their text (default when the server is not on this host)')
    .option('--server-path', 'have the worker read the path (it must be in SLUICE_INGEST_ROOTS on the worker)')
    .addOption(jsonOption())
    .action(async (path: string, options: IngestOptions) => {
      if (options.upload && options.serverPath) {
        throw new InvalidArgumentError('choose --upload or --server-path, not both');
      }
      await withClient(async (client) => {
        const transfer = options.upload
          ? 'upload'
          : options.serverPath ? 'path' : defaultTransfer(client.config.temporalAddress);
        const run = await client.startIngest({ tenant: options.tenant, path, transfer });
        printNotice(run.workflowId ? `ingest started: ${run.workflowId}` : 'nothing to upload');
        // A redrawn bar only on a terminal, and never beside JSON: a line per change then.
        const reporter = createProgressReporter({ bar: !options.json });
        const poll = setInterval(() => void run.progress().then(reporter.update, () => undefined), 300);
        try {
          const result = await run.result();
          reporter.update({
            totalDocuments: result.documents.length, processedDocuments: result.documents.length,
            chunks: result.chunks,
          });
          reporter.stop();
          const report = { workflowId: run.workflowId || null, uiUrl: run.uiUrl || null, result };
          printResult(options, report, formatIngestReport);
        } finally {
          clearInterval(poll);
          reporter.stop();
        }
      });
    });
  withExamples(ingest, [
    'sluice ingest examples/corpus',
    'sluice ingest --upload -t acme ./handbook',
    "sluice ingest --json docs/ | jq '.result.skippedDocuments'",
  ]);

  const remove = program
    .command('delete')
    .description('remove documents (all their chunks) from the store')
    .argument('<documentIds...>', 'ids as the ingest report shows them (paths relative to the ingest root)')
    .option('-t, --tenant <tenant>', 'tenant that owns the documents', defaultTenant)
    .addOption(jsonOption())
    .action(async (documentIds: string[], options: { tenant: string } & JsonFlag) => {
      const result = await withClient((client) => client.deleteDocuments({ tenant: options.tenant, documentIds }));
      printResult(options, result, formatDeleteResult);
    });
  withExamples(remove, ['sluice delete page.html faq.jsonl#q1', 'sluice delete -t acme guides/old.md --json']);
}
