import * as lancedb from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from 'apache-arrow';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { literal, openIfExists, tenantTableName, WriteQueue, type Row } from '../retrieval/lancedb-tables';

/** Table name prefix: one table per tenant, so one tenant's entries are never read for another. */
const tablePrefix = 'answer_cache';

/** One cached answer, as the store keeps it. */
export interface CacheEntry {
  /** The exact key (cache-keys.ts exactKey): a second store of the same answer replaces the first. */
  id: string;
  tenant: string;
  scope: string;
  question: string;
  normalisedQuestion: string;
  contextKey: string;
  /** Chunk id behind each `[n]` marker of `text`. */
  markers: Record<string, string>;
  text: string;
  model: string;
  sourceWorkflowId: string;
  storedAt: string;
  expiresAt: string;
  paidTokens: number;
  /** Embedder of `vector`: entries of another embedder are not compared with this one's vectors. */
  embedder: string;
  vector: number[];
}

/** A semantic candidate with the cosine similarity of its question to the one looked up. */
export interface ScoredEntry {
  entry: CacheEntry;
  cosine: number;
}

const text = (name: string): Field => new Field(name, new Utf8(), false);

function tableSchema(dimensions: number): Schema {
  return new Schema([
    text('id'), text('tenant'), text('scope'), text('question'), text('normalised_question'), text('context_key'),
    text('markers'), text('text'), text('model'), text('source_workflow_id'), text('stored_at'), text('expires_at'),
    new Field('paid_tokens', new Int32(), false), text('embedder'),
    new Field('vector', new FixedSizeList(dimensions, new Field('item', new Float32(), true)), false),
  ]);
}

function toRow(entry: CacheEntry): Row {
  return {
    id: entry.id, tenant: entry.tenant, scope: entry.scope, question: entry.question,
    normalised_question: entry.normalisedQuestion, context_key: entry.contextKey,
    markers: JSON.stringify(entry.markers), text: entry.text, model: entry.model,
    source_workflow_id: entry.sourceWorkflowId, stored_at: entry.storedAt, expires_at: entry.expiresAt,
    paid_tokens: entry.paidTokens, embedder: entry.embedder, vector: entry.vector,
  };
}

function fromRow(row: Row): CacheEntry {
  const vector = row.vector as { toArray?: () => ArrayLike<number> } | number[];
  return {
    id: String(row.id), tenant: String(row.tenant), scope: String(row.scope), question: String(row.question),
    normalisedQuestion: String(row.normalised_question), contextKey: String(row.context_key),
    markers: JSON.parse(String(row.markers)) as Record<string, string>, text: String(row.text),
    model: String(row.model), sourceWorkflowId: String(row.source_workflow_id), storedAt: String(row.stored_at),
    expiresAt: String(row.expires_at), paidTokens: Number(row.paid_tokens), embedder: String(row.embedder),
    vector: Array.isArray(vector) ? vector : Array.from(vector.toArray?.() ?? []),
  };
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

/** Where cached answers live by default: an embedded LanceDB database under `<dataDir>/cache`. */
export class AnswerCacheStore {
  // LanceDB commits are optimistic; serialising this process's writes avoids commit conflicts.
  private readonly writes = new WriteQueue();
  private readonly tables = new Map<string, lancedb.Table>();

  private constructor(private readonly connection: lancedb.Connection) {}

  static async open(dataDir: string): Promise<AnswerCacheStore> {
    const directory = join(dataDir, 'cache');
    mkdirSync(directory, { recursive: true });
    // Reads see entries other worker processes stored.
    return new AnswerCacheStore(await lancedb.connect(directory, { readConsistencyInterval: 0 }));
  }

  private async table(tenant: string, dimensions?: number): Promise<lancedb.Table | undefined> {
    const known = this.tables.get(tenant);
    if (known) return known;
    const name = tenantTableName(tablePrefix, tenant);
    let table = await openIfExists(this.connection, name);
    if (!table && dimensions !== undefined) {
      try {
        table = await this.connection.createEmptyTable(name, tableSchema(dimensions), { existOk: true });
      } catch {
        table = await this.connection.openTable(name);
      }
    }
    if (table) this.tables.set(tenant, table);
    return table;
  }

  /** Stores an entry, replacing one with the same key. */
  async put(entry: CacheEntry): Promise<void> {
    let table = (await this.table(entry.tenant, entry.vector.length))!;
    const stored = await table.schema();
    const width = (stored.fields.find((field) => field.name === 'vector')?.type as FixedSizeList | undefined)?.listSize;
    if (width !== entry.vector.length) {
      // The embedder changed dimensions: the cache is disposable, so start the tenant's table afresh.
      await this.writes.run(() => this.connection.dropTable(tenantTableName(tablePrefix, entry.tenant)));
      this.tables.delete(entry.tenant);
      table = (await this.table(entry.tenant, entry.vector.length))!;
    }
    await this.writes.run(() => table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll()
      .execute([toRow(entry)]));
  }

  /** The entry stored under an exact key, if any. */
  async get(tenant: string, id: string): Promise<CacheEntry | undefined> {
    const table = await this.table(tenant);
    if (!table) return undefined;
    const rows = (await table.query().where(`id = ${literal(id)}`).limit(1).toArray()) as Row[];
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** The `limit` entries of one scope and embedder whose questions are nearest `vector`, most alike first. */
  async nearest(
    tenant: string, scope: string, embedder: string, vector: readonly number[], limit: number,
  ): Promise<ScoredEntry[]> {
    const table = await this.table(tenant);
    if (!table) return [];
    const filter = `scope = ${literal(scope)} AND embedder = ${literal(embedder)}`;
    let rows: Row[];
    try {
      rows = (await table.vectorSearch([...vector]).where(filter).limit(limit).toArray()) as Row[];
    } catch {
      // A table of vectors of another width (the embedder changed): nothing in it can match.
      return [];
    }
    return rows.map(fromRow)
      .map((entry) => ({ entry, cosine: dot(entry.vector, vector) }))
      .sort((a, b) => b.cosine - a.cosine);
  }

  /** Removes the tenant's expired entries (`now` as ISO); returns how many went. */
  async sweep(tenant: string, now: string): Promise<number> {
    const table = await this.table(tenant);
    if (!table) return 0;
    const where = `expires_at <= ${literal(now)}`;
    const expired = await table.countRows(where);
    if (expired > 0) await this.writes.run(() => table.delete(where));
    return expired;
  }

  async close(): Promise<void> {
    await this.writes.drained();
    for (const table of this.tables.values()) table.close();
    this.tables.clear();
    this.connection.close();
  }
}
