import { readFile, stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import { parseApiKeyFile } from '../../client/gateway-keys';
import type { ApiKeyRecord } from '../../contracts/gateway-keys';

// The gateway's view of the key file. Keys made or revoked with `sluice gateway key` take effect
// without a restart: the file is read again whenever its size or modification time changes.

/** Looks up stored keys by their public id. */
export interface ApiKeyStore {
  find(id: string): Promise<ApiKeyRecord | undefined>;
}

/** Keys read from the key file, re-read when it changes. */
export class FileApiKeyStore implements ApiKeyStore {
  private byId = new Map<string, ApiKeyRecord>();
  private version = '';
  private refreshing: Promise<void> | undefined;

  private constructor(readonly path: string, private readonly logger?: Logger) {}

  /**
   * Opens the key file; one that fails validation stops the gateway from starting (an
   * ApiKeyFileError naming the field), and a missing one holds no keys until it is made.
   */
  static async open(path: string, logger?: Logger): Promise<FileApiKeyStore> {
    const store = new FileApiKeyStore(path, logger);
    await store.load();
    if (store.byId.size === 0) {
      logger?.warn({ keysFile: path }, 'no API keys yet: every request is refused until `sluice gateway key create`');
    }
    return store;
  }

  async find(id: string): Promise<ApiKeyRecord | undefined> {
    this.refreshing ??= this.refresh().finally(() => { this.refreshing = undefined; });
    await this.refreshing;
    return this.byId.get(id);
  }

  /** Reads the file again if it changed; a broken edit keeps the last good keys (and is logged). */
  private async refresh(): Promise<void> {
    try {
      await this.load();
    } catch (error) {
      this.logger?.error({ keysFile: this.path, err: error }, 'key file unreadable; keeping the keys read before');
    }
  }

  private async load(): Promise<void> {
    const info = await stat(this.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    const version = info ? `${info.ino}:${info.size}:${info.mtimeMs}` : 'missing';
    if (version === this.version) return;
    const keys = info ? parseApiKeyFile(this.path, await readFile(this.path, 'utf8')).keys : [];
    this.byId = new Map(keys.map((key) => [key.id, key]));
    this.version = version;
  }
}
