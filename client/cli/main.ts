// The `sluice` command line: a thin layer over SluiceClient that prints one clear line on error.
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../../contracts/config';
import { SluiceClientError } from '../errors';
import { SluiceClient, type AskOutcome } from '../sluice-client';
import { formatAnswer } from './print-answer';
import { decideCommands } from './print-review';
import { defaultTenant } from './common';
import { registerBudgetCommands } from './budget-commands';
import { registerGatewayCommands } from './gateway-commands';
import { registerFeedbackCommands } from './feedback-commands';
import { registerReviewCommands } from './review-commands';
import { createProgressReporter } from './progress-reporter';


function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
}

async function withClient<T>(run: (client: SluiceClient) => Promise<T>): Promise<T> {
  const client = await SluiceClient.connect();
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

/** A worker beside a loopback server can read this host's files; one elsewhere needs their content. */
function defaultTransfer(temporalAddress: string): 'path' | 'upload' {
  const host = temporalAddress.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || host.startsWith('127.') ? 'path' : 'upload';
}

interface AskOptions {
  tenant: string;
  topK?: number;
  requestId?: string;
  user?: string;
  route?: string;
  wait?: boolean;
  json?: boolean;
}

const program = new Command()
  .name('sluice')
  .description('Run Sluice pipelines on Temporal')
  .showHelpAfterError();

program
  .command('ask')
  .description('answer a question from the ingested documents')
  .argument('<question>', 'the question')
  .option('-t, --tenant <tenant>', 'tenant whose documents to search', defaultTenant)
  .option('-k, --top-k <n>', 'passages to retrieve', positiveInteger)
  .option('--request-id <id>', 'business id; asking again with it returns the same execution')
  .option('--user <id>', 'who asks: keeps their A/B variant, and they may not review their own request')
  .option('--route <route>', 'model catalog route (its review and refine policies apply)')
  .option('--wait', 'if the answer goes to review, wait for the decision')
  .option('--json', 'print the result as JSON')
  .action(async (question: string, options: AskOptions) => {
    const input = {
      tenant: options.tenant, question, topK: options.topK, requestId: options.requestId, userId: options.user,
      route: options.route,
    };
    await withClient(async (client) => {
      const submitted = await client.submit(input);
      let outcome: AskOutcome;
      if ('pendingReview' in submitted) {
        const { group, deadline } = submitted.pendingReview;
        process.stderr.write(
          `${submitted.workflowId} is waiting for review by ${group ?? 'a reviewer'} until ${deadline ?? '?'}; ` +
          `decide it with:\n${decideCommands(submitted.workflowId)}\n`,
        );
        if (!options.wait) {
          if (options.json) process.stdout.write(`${JSON.stringify(submitted, null, 2)}\n`);
          return;
        }
        outcome = { ...submitted, result: await client.waitForAnswer(submitted.workflowId) };
      } else {
        outcome = submitted;
      }
      process.stdout.write(`${options.json ? JSON.stringify(outcome, null, 2) : formatAnswer(outcome)}\n`);
    });
  });

program
  .command('ingest')
  .description('ingest a folder (or file) of Markdown, text, HTML and JSON-lines documents')
  .argument('<path>', 'folder or file to ingest')
  .option('-t, --tenant <tenant>', 'tenant that owns the documents', defaultTenant)
  .option('--upload', 'read the files here and send their text (default when the server is not on this host)')
  .option('--server-path', 'have the worker read the path (it must be in SLUICE_INGEST_ROOTS on the worker)')
  .action(async (path: string, options: { tenant: string; upload?: boolean; serverPath?: boolean }) => {
    if (options.upload && options.serverPath) {
      throw new InvalidArgumentError('choose --upload or --server-path, not both');
    }
    await withClient(async (client) => {
      const transfer = options.upload
        ? 'upload'
        : options.serverPath ? 'path' : defaultTransfer(client.config.temporalAddress);
      const run = await client.startIngest({ tenant: options.tenant, path, transfer });
      process.stderr.write(run.workflowId ? `ingest started: ${run.workflowId}\n` : 'nothing to upload\n');
      const reporter = createProgressReporter();
      const poll = setInterval(() => void run.progress().then(reporter.update, () => undefined), 300);
      try {
        const result = await run.result();
        reporter.update({
          totalDocuments: result.documents.length, processedDocuments: result.documents.length, chunks: result.chunks,
        });
        reporter.stop();
        for (const document of result.documents.filter((outcome) => outcome.status === 'skipped')) {
          process.stdout.write(`skipped ${document.documentId}: ${document.reason}\n`);
        }
        // JSON-lines files are ingested with some records skipped; say which.
        for (const document of result.documents.filter((outcome) => outcome.status === 'ingested' && outcome.reason)) {
          process.stdout.write(`partly ingested ${document.documentId}: ${document.reason}\n`);
        }
        if (result.documentsTruncated) {
          process.stdout.write('(large ingest: the report lists skipped documents only)\n');
        }
        process.stdout.write(
          `ingested ${result.ingestedDocuments} document(s), ${result.chunks} chunk(s); ` +
          `skipped ${result.skippedDocuments}\n`,
        );
        if (run.uiUrl) process.stdout.write(`inspect: ${run.uiUrl}\n`);
      } finally {
        clearInterval(poll);
        reporter.stop();
      }
    });
  });

program
  .command('delete')
  .description('remove documents (all their chunks) from the store')
  .argument('<documentIds...>', 'ids as the ingest report shows them (paths relative to the ingest root)')
  .option('-t, --tenant <tenant>', 'tenant that owns the documents', defaultTenant)
  .action(async (documentIds: string[], options: { tenant: string }) => {
    const result = await withClient((client) => client.deleteDocuments({ tenant: options.tenant, documentIds }));
    for (const document of result.documents) {
      process.stdout.write(`${document.documentId}: ${document.deletedChunks} chunk(s) deleted\n`);
    }
  });

program
  .command('setup')
  .description(
    "register Sluice's search attributes in the namespace (once per cluster; `npm start`'s dev server needs none)",
  )
  .action(async () => {
    const attributes = await withClient((client) => client.setupSearchAttributes());
    for (const { name, type, state } of attributes) process.stdout.write(`${name} (${type}): ${state}\n`);
    if (attributes.some((attribute) => attribute.state === 'wrong-type')) {
      throw new SluiceClientError('a search attribute exists with another type; remove it or use another namespace');
    }
  });

registerReviewCommands(program, withClient);
registerFeedbackCommands(program, withClient);
registerBudgetCommands(program, withClient);
registerGatewayCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  const known = error instanceof SluiceClientError || error instanceof ConfigError;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`sluice: ${message}\n`);
  if (!known && process.env.SLUICE_DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
