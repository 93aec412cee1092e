import {
  continueAsNew, executeChild, patched, proxyActivities, setCurrentDetails, workflowInfo,
} from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import type {
  DocumentOutcome,
  IngestContinuation,
  IngestProgress,
  IngestRequest,
  IngestResult,
  IngestTuning,
  SourceFile,
} from '../contracts/ingest';
import { workflowTypes } from '../contracts/workflow-types';
import { ingestFilePreset, ingestPreset, retrievalPreset } from './activity-presets';
import type { ingestBatchWorkflow } from './ingest-batch-workflow';
import type { ingestWorkflow } from './ingest-workflow';

export const ingestPatches = {
  /** Inline documents, paged listing, child workflows per batch, continue-as-new. */
  pagedWithChildren: 'sluice-ingest-paged-children-v1',
  /**
   * Every ingest that wrote chunks folds them into the tenant's indexes before it reports done, so a
   * search right after it ranks with the same BM25 statistics as every later one.
   */
  settleIndexes: 'sluice-ingest-settle-indexes-v1',
} as const;

const sources = proxyActivities<SluiceActivities>(retrievalPreset);
const files = proxyActivities<SluiceActivities>(ingestFilePreset);
const maintenance = proxyActivities<SluiceActivities>(ingestPreset);

/** Limits that keep each run's history bounded (the first four can be tuned per request). */
export const ingestLimits = {
  /** Files listed per listing activity. */
  pageSize: 500,
  /** Corpora with more files than this fan out to child workflows. */
  childThreshold: 200,
  /** Files per child workflow. */
  filesPerChild: 100,
  /** Documents (or children) in flight at once. */
  parallelism: 4,
  /** Pages a run handles before it continues as new. */
  pagesPerRun: 4,
  /** Outcomes listed in full up to this many; above it the report lists only skipped ones. */
  fullReport: 1000,
  /** Chunks after which runs started before `settleIndexes` fold the new writes into the indexes. */
  optimizeAfterChunks: 2000,
} as const;

/** Report state, carried across continue-as-new. */
class IngestReport {
  outcomes: DocumentOutcome[];
  truncated: boolean;
  ingested: number;
  skipped: number;

  constructor(private readonly progress: IngestProgress, carried?: IngestContinuation) {
    this.outcomes = carried?.outcomes ?? [];
    this.truncated = carried?.documentsTruncated ?? false;
    this.ingested = carried?.ingestedDocuments ?? 0;
    this.skipped = carried?.skippedDocuments ?? 0;
  }

  record(outcome: DocumentOutcome): void {
    if (outcome.status === 'ingested') this.ingested += 1;
    else this.skipped += 1;
    this.progress.processedDocuments += 1;
    this.progress.chunks += outcome.chunks;
    if (!this.truncated) {
      this.outcomes.push(outcome);
      if (this.outcomes.length > ingestLimits.fullReport) {
        this.truncated = true;
        this.outcomes = this.outcomes.filter((kept) => kept.status === 'skipped');
      }
    } else if (outcome.status === 'skipped' && this.outcomes.length < ingestLimits.fullReport) {
      this.outcomes.push(outcome);
    }
  }

  continuation(nextFile: number, inlineDocuments: number): IngestContinuation {
    return {
      nextFile,
      inlineDocuments,
      progress: { ...this.progress },
      outcomes: this.outcomes,
      documentsTruncated: this.truncated,
      ingestedDocuments: this.ingested,
      skippedDocuments: this.skipped,
    };
  }

  result(): IngestResult {
    return {
      documents: this.outcomes,
      ingestedDocuments: this.ingested,
      skippedDocuments: this.skipped,
      chunks: this.progress.chunks,
      ...(this.truncated ? { documentsTruncated: true } : {}),
    };
  }
}

/** Runs `work` over `items` with at most `limit` in flight, in order of start. */
async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  for (let start = 0; start < items.length; start += limit) {
    const chunk = items.slice(start, start + limit);
    (await Promise.all(chunk.map((item, offset) => work(item, start + offset)))).forEach(
      (result, offset) => (results[start + offset] = result),
    );
  }
  return results;
}

/** Ingests a page of files here (small corpora) or through child workflows (large ones). */
async function ingestFiles(
  tenant: string,
  page: readonly SourceFile[],
  firstIndex: number,
  filesPerChild: number | undefined,
): Promise<DocumentOutcome[][]> {
  if (filesPerChild === undefined)
    return inParallel(page, ingestLimits.parallelism, async (file) => [await files.ingestDocument({ tenant, file })]);
  const batches: SourceFile[][] = [];
  for (let start = 0; start < page.length; start += filesPerChild)
    batches.push(page.slice(start, start + filesPerChild));
  return inParallel(batches, ingestLimits.parallelism, (batch, index) =>
    executeChild<typeof ingestBatchWorkflow>(workflowTypes.ingestBatch, {
      // Deterministic ids: a re-run of this page after a failure finds the same children.
      workflowId: `${workflowInfo().workflowId}-files-${firstIndex + index * filesPerChild}`,
      args: [{ tenant, files: batch }],
    }),
  );
}

/** The current ingest pipeline (behind the `pagedWithChildren` patch). */
export async function runIngest(
  request: IngestRequest,
  progress: IngestProgress,
  carried?: IngestContinuation,
  tuning: IngestTuning = {},
): Promise<IngestResult> {
  const limits = { ...ingestLimits, ...tuning };
  const report = new IngestReport(progress, carried);
  const inline = request.documents ?? [];
  const inlineDocuments = carried?.inlineDocuments ?? inline.length;
  const showProgress = () =>
    setCurrentDetails(
      `${progress.processedDocuments}/${progress.totalDocuments} documents, ${progress.chunks} chunks`,
    );

  // Inline documents travel in the first run's input only; a continued run skips them.
  if (!carried && inline.length) {
    progress.totalDocuments += inline.length;
    await inParallel(inline, ingestLimits.parallelism, async (document) => {
      report.record(await files.ingestInlineDocument({ tenant: request.tenant, document }));
      showProgress();
    });
  }

  if (request.path) {
    let nextFile = carried?.nextFile ?? 0;
    for (let pages = 0; ; pages++) {
      // At least one page per run, so a run always makes progress before it hands over.
      if (pages > 0 && (pages >= limits.pagesPerRun || workflowInfo().continueAsNewSuggested)) {
        await continueAsNew<typeof ingestWorkflow>({
          ...request,
          documents: undefined,
          tuning,
          continuation: report.continuation(nextFile, inlineDocuments),
        });
      }
      const page = await sources.listSourceFilesPage({
        tenant: request.tenant, path: request.path, offset: nextFile, limit: limits.pageSize,
      });
      progress.totalDocuments = inlineDocuments + page.totalFiles;
      if (page.files.length === 0) break;
      const fanOut = page.totalFiles > limits.childThreshold;
      const results = await ingestFiles(
        request.tenant,
        page.files,
        nextFile,
        fanOut ? limits.filesPerChild : undefined,
      );
      for (const outcome of results.flat()) report.record(outcome);
      showProgress();
      nextFile += page.files.length;
      if (nextFile >= page.totalFiles) break;
    }
  }

  if (patched(ingestPatches.settleIndexes)) {
    if (progress.chunks > 0) await maintenance.optimizeStore({ tenant: request.tenant });
  } else if (progress.chunks >= ingestLimits.optimizeAfterChunks) await maintenance.optimizeStore();
  return report.result();
}
