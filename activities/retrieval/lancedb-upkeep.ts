import { log } from '@temporalio/activity';
import type * as lancedb from '@lancedb/lancedb';
import type { WriteQueue } from './lancedb-tables';
import { hasVectorIndex, vectorColumn, vectorIndexConfig, vectorIndexOf } from './lancedb-vector-index';

const pruneMarginMs = 2_000;

/** Segments the vector index may have (each searched as a graph of its own) before it is built again as one. */
export const maxVectorIndexSegments = 2;
/** The growth since the last build before a segmented index is built again. */
export const vectorIndexRebuildGrowth = 1.25;

/** When a table is optimized, and what an optimize may prune. */
export interface UpkeepSettings {
  /** Commits (upserts, deletes) since the last optimize after which the table is optimized again. */
  everyWrites: number;
  /** Rows written since the last optimize after which the table is optimized again. */
  everyRows: number;
  /** How long a replaced version stays readable for searches still running on it, in milliseconds. */
  keepReplacedVersionsMs: number;
  /** Rows from which the table gets a vector index, built in the background; Infinity: never. */
  vectorIndexMinRows: number;
  /** Where vector index builds wait their turn: one at a time per store, each takes every core. */
  vectorIndexBuilds: WriteQueue;
  /** Told of an optimize that failed in the background (the write that triggered it had already succeeded). */
  onError: (error: unknown) => void;
}

/** Reports a failed background optimize in the activity's log, or as a process warning outside one. */
export function warnUpkeepFailed(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  try {
    log.warn('vector store optimize failed; retried after more writes', { store: 'lancedb', error: message });
  } catch {
    process.emitWarning(`lancedb optimize failed; retried after more writes: ${message}`, 'SluiceStoreUpkeep');
  }
}

/**
 * Keeps one tenant table compact. Every commit leaves at least one small fragment (a merge-insert
 * also a deletion file), and a search opens each fragment and scans the rows no index covers yet:
 * five small re-ingests left 1,511 fragments and hybrid search at 200 ms p50 instead of 5 ms. So
 * the table is optimized (compaction, index update, pruning of old versions) after a bounded
 * number of commits, in the store's write queue: never beside a write, never in a search's way.
 * Once the table holds enough rows it also gets a vector index, built beside the queue.
 */
export class TableUpkeep {
  private writesSinceOptimize = 0;
  private rowsSinceOptimize = 0;
  private retryAfterWrites = 0;
  private queued = false;
  private closed = false;
  // The vector index: known to exist, or being built (outside the write queue: a build at 100k
  // rows took about 100 s here, and neither writes nor searches wait for it).
  private vectorIndexed = false;
  private building: Promise<void> | undefined;
  private checking: Promise<void> | undefined;
  private indexListed = false;
  private writes = 0;
  private buildRetryAfterWrites = 0;
  // Rows the vector index was last built over by this process (0: not built here, rebuilt when segmented).
  private rowsAtLastBuild = 0;
  // Optimizes that committed a new version: start (before the commit) and end, for pruning.
  private readonly runs: { startedAt: number; finishedAt: number }[] = [];

  constructor(private readonly table: lancedb.Table, private readonly settings: UpkeepSettings) {}

  /** Counts a committed write; once the table is due, queues an optimize behind the writes queued so far. */
  afterWrite(rows: number, writes: WriteQueue): void {
    this.writesSinceOptimize += 1;
    this.rowsSinceOptimize += rows;
    this.writes += 1;
    if (!this.vectorIndexed && !this.building && !this.checking && this.writes >= this.buildRetryAfterWrites) {
      // The check (an index listing, a row count) runs in the queue, so no optimize runs beside a build.
      this.checking = writes.run(() => this.startVectorIndexIfDue()).finally(() => {
        this.checking = undefined;
      });
    }
    if (this.queued || !this.due()) return;
    this.queued = true;
    void writes.run(() => this.optimizeQuietly());
  }

  /**
   * Starts the vector index build once the table holds enough rows, and returns without waiting
   * for it. Searches stay flat until it is committed; rows written meanwhile are searched flat
   * after it, until an optimize folds them in. Optimizes are held back while it runs (compaction
   * would rewrite the fragments being indexed).
   */
  private async startVectorIndexIfDue(): Promise<void> {
    if (this.closed || this.settings.vectorIndexMinRows === Infinity) return;
    try {
      if (!this.indexListed) {
        this.vectorIndexed = await hasVectorIndex(this.table);
        this.indexListed = true;
      }
      if (this.vectorIndexed) return;
      const rows = await this.table.countRows();
      if (rows < this.settings.vectorIndexMinRows) return;
      this.startBuild(rows);
    } catch (error) {
      this.buildFailed(error);
    }
  }

  private async buildVectorIndex(rows: number): Promise<void> {
    if (this.closed) return;
    try {
      await this.table.createIndex(vectorColumn, { config: vectorIndexConfig(rows), replace: true });
      this.vectorIndexed = true;
      this.rowsAtLastBuild = rows;
    } catch (error) {
      this.buildFailed(error);
    }
  }

  /**
   * Every optimize folds the rows written since into the vector index as a segment of its own, and a
   * search walks each segment's graph: a table indexed at 10k rows and grown to 100k by the writes
   * of an ingest had 6 segments, and dense search took 13.7 ms at p50 instead of 5.2 with one graph.
   * So once there are more than `maxVectorIndexSegments` the index is built again over the whole
   * table, in the background like the first build; waiting until the table has grown by a quarter
   * since the last build keeps the work of all rebuilds proportional to the rows written.
   */
  private async startVectorIndexRebuildIfSegmented(): Promise<void> {
    if (!this.vectorIndexed || this.building || this.closed) return;
    if (((await vectorIndexOf(this.table))?.numSegments ?? 1) <= maxVectorIndexSegments) return;
    const rows = await this.table.countRows();
    if (rows < this.rowsAtLastBuild * vectorIndexRebuildGrowth) return;
    this.rowsAtLastBuild = rows; // a failed rebuild is tried again after as much growth
    this.startBuild(rows);
  }

  /** Builds the index over `rows` rows beside the writes, one build at a time per store. */
  private startBuild(rows: number): void {
    this.building = this.settings.vectorIndexBuilds.run(() => this.buildVectorIndex(rows)).finally(() => {
      this.building = undefined;
    });
  }

  private buildFailed(error: unknown): void {
    if (this.closed) return;
    this.buildRetryAfterWrites = this.writes + this.settings.everyWrites;
    this.settings.onError(error);
  }

  /** Resolves once a vector index build in progress has ended. */
  async settled(): Promise<void> {
    await this.checking;
    await this.building;
  }

  private due(): boolean {
    if (this.building) return false;
    if (this.writesSinceOptimize < this.retryAfterWrites) return false;
    return this.writesSinceOptimize >= this.settings.everyWrites || this.rowsSinceOptimize >= this.settings.everyRows;
  }

  private async optimizeQuietly(): Promise<void> {
    this.queued = false;
    if (this.closed) return;
    // An index being built: the optimize comes after the next write instead of holding up the queue.
    if (this.building) return;
    try {
      await this.optimize();
    } catch (error) {
      // A failed optimize leaves the table slower, not wrong: try again after as many writes again.
      this.retryAfterWrites = this.writesSinceOptimize + this.settings.everyWrites;
      this.settings.onError(error);
    }
  }

  /** Compacts the table, folds new rows into its indexes and prunes old versions; the caller serialises it. */
  async optimize(): Promise<void> {
    const startedAt = Date.now();
    const before = await this.table.version();
    await this.table.optimize({ cleanupOlderThan: this.pruneBefore(startedAt) });
    this.writesSinceOptimize = 0;
    this.rowsSinceOptimize = 0;
    this.retryAfterWrites = 0;
    if ((await this.table.version()) !== before) this.runs.push({ startedAt, finishedAt: Date.now() });
    await this.startVectorIndexRebuildIfSegmented();
  }

  /**
   * Versions committed before an earlier optimize started were all replaced by the time it ended
   * (its own commit came after). Once that end is `keepReplacedVersionsMs` past, no search can
   * still be reading them, so they go; a version's own age would not do, since a version written
   * long ago may have been replaced a moment ago. LanceDB compares the cutoff at a coarser grain
   * than milliseconds, hence the margin; a cutoff of 0 prunes nothing.
   */
  private pruneBefore(now: number): Date {
    const settledBy = now - this.settings.keepReplacedVersionsMs;
    let cutoff = 0;
    while (this.runs.length > 0 && this.runs[0]!.finishedAt <= settledBy) {
      cutoff = Math.max(0, this.runs.shift()!.startedAt - pruneMarginMs);
    }
    return new Date(cutoff);
  }

  /** Stops queued optimizes of a table handle that is being closed or replaced. */
  close(): void {
    this.closed = true;
  }
}
