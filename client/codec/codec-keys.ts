// The payload codec's keys. Every client and worker of a deployment must hold the same keys, so
// they come from SLUICE_CODEC_KEYS or SLUICE_CODEC_KEY_FILE; only on one machine (`npm start`, the
// demo, the CLI beside them) may a key file be made under the data folder on first use. The first
// key (or `active`) encrypts; the others only decrypt, so keys rotate without losing old histories.
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { codecKeyFileSchema, type CodecKeyFile } from '../../contracts/codec';
import { ConfigError } from '../../contracts/config';
import { formatZodError } from '../../contracts/format-error';
import { CodecKeysRequiredError } from './codec-errors';

/** Keys by id; `activeKeyId` encrypts new payloads, every key decrypts. */
export interface CodecKeys {
  readonly activeKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** Variables that configure the keys. */
export const codecKeyVariables = { keys: 'SLUICE_CODEC_KEYS', keyFile: 'SLUICE_CODEC_KEY_FILE' } as const;

/** The key file made under the data folder when a key file is allowed. */
export const localKeyFileName = 'codec-keys.json';

function toCodecKeys(file: CodecKeyFile): CodecKeys {
  const keys = new Map(Object.entries(file.keys).map(([id, key]) => [id, Buffer.from(key, 'base64')] as const));
  return { activeKeyId: file.active, keys };
}

function validate(candidate: unknown, source: string): CodecKeys {
  const parsed = codecKeyFileSchema.safeParse(candidate);
  if (!parsed.success) throw new ConfigError(`invalid configuration: ${source}: ${formatZodError(parsed.error)}`);
  return toCodecKeys(parsed.data);
}

/** `k2:<base64>,k1:<base64>` (first = active), as SLUICE_CODEC_KEYS holds it. */
export function parseCodecKeysVariable(text: string): CodecKeys {
  const variable = codecKeyVariables.keys;
  // A Map keeps the order as written (an object would put ids like "2" before "k1").
  const keys = new Map<string, string>();
  const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const separator = entry.indexOf(':');
    if (separator < 1) {
      throw new ConfigError(`invalid configuration: ${variable}: expected id:base64key[,id:base64key…]`);
    }
    const id = entry.slice(0, separator);
    if (keys.has(id)) throw new ConfigError(`invalid configuration: ${variable}: key id ${id} appears twice`);
    keys.set(id, entry.slice(separator + 1));
  }
  const active = keys.keys().next().value;
  if (active === undefined) throw new ConfigError(`invalid configuration: ${variable}: no key given`);
  return validate({ active, keys: Object.fromEntries(keys) }, variable);
}

/** A key file's JSON text; `source` names it in errors. */
export function parseCodecKeyFile(text: string, source: string): CodecKeys {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(
      `invalid configuration: ${source}: not valid JSON (expected {"active": "<id>", "keys": {"<id>": "<base64>"}})`,
    );
  }
  return validate(json, source);
}

function readKeyFile(path: string, source: string): CodecKeys {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`invalid configuration: ${source}: cannot read ${path} (${(error as Error).message})`);
  }
  return parseCodecKeyFile(text, source);
}

/**
 * Writes a fresh key file at `path` unless one exists. The whole file is written aside (mode
 * 0600, exclusive create) and then hard-linked into place, which fails if another process got
 * there first: two processes starting together never read a half-written file, and both end up
 * with the first one's key.
 */
function createKeyFileOnce(path: string): void {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const key = randomBytes(32);
  const id = `local-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
  const file: CodecKeyFile = { active: id, keys: { [id]: key.toString('base64') } };
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(aside, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(aside, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(aside);
  }
}

/**
 * The keys from SLUICE_CODEC_KEYS or SLUICE_CODEC_KEY_FILE; else, when `allowKeyFile` (one machine
 * only), from `<dataDir>/codec-keys.json`, made on first use. Bad keys are a ConfigError naming the
 * variable or file; no keys with `allowKeyFile: false` is a CodecKeysRequiredError.
 */
export function loadCodecKeys(
  environment: Record<string, string | undefined>,
  dataDir: string,
  options: { allowKeyFile: boolean },
): CodecKeys {
  const listed = environment[codecKeyVariables.keys]?.trim();
  const file = environment[codecKeyVariables.keyFile]?.trim();
  if (listed && file) {
    throw new ConfigError(
      `invalid configuration: set ${codecKeyVariables.keys} or ${codecKeyVariables.keyFile}, not both`,
    );
  }
  if (listed) return parseCodecKeysVariable(listed);
  if (file) return readKeyFile(file, `${codecKeyVariables.keyFile} (${file})`);
  if (!options.allowKeyFile) {
    throw new CodecKeysRequiredError(
      `${codecKeyVariables.keys} is not set: every worker and client must share the payload codec's keys `
      + `(e.g. ${codecKeyVariables.keys}=k1:$(openssl rand -base64 32), or a key file in `
      + `${codecKeyVariables.keyFile}), or none could read what the others encrypt; a key file under the `
      + 'data folder is only for the one-machine dev stack (npm start)',
    );
  }
  const path = join(dataDir, localKeyFileName);
  try {
    createKeyFileOnce(path);
  } catch (error) {
    throw new ConfigError(`invalid configuration: cannot create ${path} (${(error as Error).message})`);
  }
  return readKeyFile(path, path);
}
