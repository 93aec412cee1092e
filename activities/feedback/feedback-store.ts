import * as lancedb from '@lancedb/lancedb';
import { Field, Schema, Utf8 } from 'apache-arrow';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  feedbackRecordSchema, type FeedbackRating, type FeedbackRecord, type FeedbackReport,
} from '../../contracts/feedback';
import {
  literal, openIfExists, TableCreator, tenantTableName, WriteQueue, type Row,
} from '../retrieval/lancedb-tables';

/** Table name prefix: one table per tenant, named like the chunk tables (lancedb-tables.ts). */
const tablePrefix = 'feedback';

/** Stands in for the user of a rating given without a user id, so those ratings share one key. */
export const anonymousUser = 'anonymous';

const text = (name: string, nullable = false): Field => new Field(name, new Utf8(), nullable);

const feedbackTableSchema = new Schema([
  text('id'), text('tenant'), text('workflow_id'), text('user_key'), text('user_id', true),
  text('run_id'), text('status'), text('prompt_id'), text('prompt_version'), text('variant'),
  text('model'), text('route'), text('rating'), text('comment', true), text('recorded_at'),
]);

/** The key of a rating: one per rated run and user, so a later rating replaces an earlier one. */
export function feedbackKey(workflowId: string, userId: string | undefined): string {
  return createHash('sha256').update(`${workflowId}\u0000${userId ?? anonymousUser}`).digest('hex');
}

function toRow(record: FeedbackRecord): Row {
  return {
    id: feedbackKey(record.workflowId, record.userId), tenant: record.tenant, workflow_id: record.workflowId,
    user_key: record.userId ?? anonymousUser, user_id: record.userId ?? null, run_id: record.runId,
    status: record.status, prompt_id: record.promptId, prompt_version: record.promptVersion, variant: record.variant,
    model: record.model, route: record.route, rating: record.rating, comment: record.comment ?? null,
    recorded_at: record.recordedAt,
  };
}

function fromRow(row: Row): FeedbackRecord {
  const optional = (value: unknown): string | undefined =>
    (value === null || value === undefined ? undefined : String(value));
  const comment = optional(row.comment);
  const userId = optional(row.user_id);
  return feedbackRecordSchema.parse({
    tenant: String(row.tenant), workflowId: String(row.workflow_id), runId: String(row.run_id),
    status: String(row.status), promptId: String(row.prompt_id), promptVersion: String(row.prompt_version),
    variant: String(row.variant), model: String(row.model), route: String(row.route),
    rating: String(row.rating) as FeedbackRating, recordedAt: String(row.recorded_at),
    ...(comment !== undefined ? { comment } : {}), ...(userId !== undefined ? { userId } : {}),
  });
}

/** Ratings counted per prompt version and variant, sorted so reports read the same every time. */
export function aggregateFeedback(tenant: string, records: readonly FeedbackRecord[]): FeedbackReport {
  const groups = new Map<string, FeedbackReport['rows'][number]>();
  for (const record of records) {
    const key = JSON.stringify([record.promptId, record.promptVersion, record.variant]);
    const { promptId, promptVersion, variant } = record;
    const group = groups.get(key) ?? { promptId, promptVersion, variant, up: 0, down: 0, approval: 0 };
    group[record.rating] += 1;
    group.approval = group.up / (group.up + group.down);
    groups.set(key, group);
  }
  const rows = [...groups.values()].sort((a, b) =>
    a.promptId.localeCompare(b.promptId) || a.promptVersion.localeCompare(b.promptVersion)
    || a.variant.localeCompare(b.variant));
  return { tenant, total: records.length, rows };
}

/** Users' ratings of answer runs, in an embedded LanceDB database with one table per tenant. */
export class FeedbackStore {
  // LanceDB commits are optimistic; serialising this process's writes avoids commit conflicts.
  private readonly writes = new WriteQueue();
  private readonly tables = new Map<string, lancedb.Table>();
  private readonly creator: TableCreator;

  private constructor(private readonly connection: lancedb.Connection) {
    this.creator = new TableCreator(connection, feedbackTableSchema);
  }

  /** Opens (creating when needed) the store in `<dataDir>/feedback`. */
  static async open(dataDir: string): Promise<FeedbackStore> {
    const directory = join(dataDir, 'feedback');
    mkdirSync(directory, { recursive: true });
    // Reads check for newer versions, so a report sees ratings other worker processes stored.
    return new FeedbackStore(await lancedb.connect(directory, { readConsistencyInterval: 0 }));
  }

  /** The tenant's table; created only when `create` (reading an unknown tenant creates nothing). */
  private async table(tenant: string, create: boolean): Promise<lancedb.Table | undefined> {
    const known = this.tables.get(tenant);
    if (known) return known;
    const name = tenantTableName(tablePrefix, tenant);
    const table = create ? await this.creator.create(name) : await openIfExists(this.connection, name);
    if (table) this.tables.set(tenant, table);
    return table;
  }

  /**
   * Stores a rating, replacing the same user's earlier rating of the same run. A stored rating
   * recorded later stays, so a retried older write never overwrites a newer one.
   */
  async upsert(record: FeedbackRecord): Promise<void> {
    const table = (await this.table(record.tenant, true))!;
    await this.writes.run(() => table.mergeInsert('id')
      .whenMatchedUpdateAll({ where: 'target.recorded_at <= source.recorded_at' })
      .whenNotMatchedInsertAll()
      .execute([toRow(record)]));
  }

  /** The tenant's ratings, of one prompt id when given, oldest first. */
  async list(tenant: string, promptId?: string): Promise<FeedbackRecord[]> {
    const table = await this.table(tenant, false);
    if (!table) return [];
    let filter = `tenant = ${literal(tenant)}`;
    if (promptId !== undefined) filter += ` AND prompt_id = ${literal(promptId)}`;
    const rows = (await table.query().where(filter).toArray()) as Row[];
    return rows.map(fromRow).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  }

  /** The tenant's ratings counted per prompt version and variant. */
  async aggregate(tenant: string, promptId?: string): Promise<FeedbackReport> {
    return aggregateFeedback(tenant, await this.list(tenant, promptId));
  }

  async close(): Promise<void> {
    await this.writes.drained();
    for (const table of this.tables.values()) table.close();
    this.tables.clear();
    this.connection.close();
  }
}
