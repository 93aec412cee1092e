import * as lancedb from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, Float64, Int32, Schema, Utf8 } from 'apache-arrow';
import { createHash } from 'node:crypto';
import type { EmbeddedChunk } from './vector-store';

/** A stored row as LanceDB returns it. */
export type Row = Record<string, unknown>;

/** SQL string literal for LanceDB filters; ids are validated upstream, this is defence in depth. */
export const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * The table of one tenant. Hex of the UTF-8 name keeps names within LanceDB's allowed characters
 * and distinct for distinct tenants; names too long for a file name are hashed under another
 * marker, so the two forms can never collide either.
 */
export function tenantTableName(prefix: string, tenant: string): string {
  const hex = Buffer.from(tenant, 'utf8').toString('hex');
  return hex.length <= 128
    ? `${prefix}__t_${hex}`
    : `${prefix}__h_${createHash('sha256').update(tenant).digest('hex')}`;
}

/** The chunk table schema; `version` orders concurrent re-ingests (see VectorStore.settleDocument). */
export function chunkSchema(dimensions: number): Schema {
  return new Schema([
    new Field('id', new Utf8(), false), new Field('tenant', new Utf8(), false),
    new Field('document_id', new Utf8(), false), new Field('chunk_index', new Int32(), false),
    new Field('title', new Utf8(), false), new Field('source', new Utf8(), false),
    new Field('text', new Utf8(), false),
    new Field('vector', new FixedSizeList(dimensions, new Field('item', new Float32(), true)), false),
    new Field('version', new Float64(), false),
  ]);
}

/** A chunk as a row of the chunk table. */
export function toRow(chunk: EmbeddedChunk): Row {
  return {
    id: chunk.id, tenant: chunk.tenant, document_id: chunk.documentId, chunk_index: chunk.chunkIndex,
    title: chunk.title, source: chunk.source, text: chunk.text, vector: chunk.vector, version: chunk.version ?? 0,
  };
}

/** Opens a table, or undefined when there is none. */
export async function openIfExists(connection: lancedb.Connection, name: string): Promise<lancedb.Table | undefined> {
  try {
    return await connection.openTable(name);
  } catch {
    return undefined;
  }
}

/**
 * Opens or creates tables, one creation per table name at a time in this process. Two concurrent
 * creations of the same new table made the second an overwrite: the first handle then failed
 * every write with a commit conflict, and its rows were gone. (Another process creating it at the
 * same moment is met by `existOk` and, failing that, by opening the table it made.)
 */
export class TableCreator {
  private readonly creating = new Map<string, Promise<lancedb.Table>>();

  constructor(private readonly connection: lancedb.Connection, private readonly schema: Schema) {}

  create(name: string): Promise<lancedb.Table> {
    const pending = this.creating.get(name);
    if (pending) return pending;
    const created = this.openOrCreate(name).finally(() => this.creating.delete(name));
    this.creating.set(name, created);
    return created;
  }

  private async openOrCreate(name: string): Promise<lancedb.Table> {
    try {
      return await this.connection.createEmptyTable(name, this.schema, { existOk: true });
    } catch {
      return this.connection.openTable(name);
    }
  }
}

/** Runs a store's writes one at a time, in order; a failed write does not block the next. */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(write: () => Promise<T>): Promise<T> {
    const next = this.tail.then(write, write);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every write queued so far has settled. */
  async drained(): Promise<void> {
    await this.tail;
  }
}

/**
 * Rows of one tenant from the shared table stores used before tables were per tenant (no
 * `version` column: they count as version 0), ready to insert into the tenant's table.
 */
export async function legacyRows(legacy: lancedb.Table, tenant: string): Promise<Row[]> {
  const rows = (await legacy.query().where(`tenant = ${literal(tenant)}`).toArray()) as Row[];
  return rows.map((row) => ({
    id: String(row.id), tenant: String(row.tenant), document_id: String(row.document_id),
    chunk_index: Number(row.chunk_index), title: String(row.title), source: String(row.source), text: String(row.text),
    vector: Array.from(row.vector as Iterable<number>), version: typeof row.version === 'number' ? row.version : 0,
  }));
}
