import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatZodError } from '../contracts/format-error';
import {
  apiKeyFileSchema, apiKeyRecordSchema, apiKeyTokenPattern, defaultApiKeyFileName,
  type ApiKeyFile, type ApiKeyRecord, type GatewayRole,
} from '../contracts/gateway-keys';
import { ApiKeyFileError, InvalidRequestError } from './errors';

// Making, hashing and storing the HTTP gateway's API keys. The `sluice gateway key` commands write
// the key file with these; the gateway reads it with them. Nothing here keeps a key's secret.

/** Where the key file lives: SLUICE_GATEWAY_KEYS_FILE, else `<dataDir>/gateway-keys.json`. */
export function apiKeyFilePath(dataDir: string, environment: Record<string, string | undefined> = process.env): string {
  return environment.SLUICE_GATEWAY_KEYS_FILE || join(dataDir, defaultApiKeyFileName);
}

/**
 * SHA-256 of a key's secret, in hex. A plain fast hash is adequate here, unlike for passwords:
 * the secret is 32 random bytes (256 bits of entropy), so no dictionary or brute-force search
 * can find it from its hash, and a slow hash would only slow every request down.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The id and secret of a token shaped `sk_<id>_<secret>`, or undefined for anything else. */
export function parseApiKeyToken(token: string): { id: string; secret: string } | undefined {
  const match = apiKeyTokenPattern.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

/** What a new key is for. */
export interface NewApiKey {
  tenant: string;
  name: string;
  roles: GatewayRole[];
  reviewerGroups?: string[];
}

/** A new key: the token to hand over once, and the record to store (its secret only as a hash). */
export function createApiKey(input: NewApiKey, now: Date = new Date()): { token: string; record: ApiKeyRecord } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const parsed = apiKeyRecordSchema.safeParse({
    id, tenant: input.tenant, name: input.name, roles: [...new Set(input.roles)],
    ...(input.reviewerGroups?.length ? { reviewerGroups: input.reviewerGroups } : {}),
    createdAt: now.toISOString(), secretSha256: hashApiKeySecret(secret),
  });
  if (!parsed.success) throw new InvalidRequestError(formatZodError(parsed.error));
  return { token: `sk_${id}_${secret}`, record: parsed.data };
}

/** Parses a key file's text; an ApiKeyFileError names the file and the field at fault. */
export function parseApiKeyFile(path: string, text: string): ApiKeyFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ApiKeyFileError(`${path} is not JSON: ${(error as Error).message}`);
  }
  const parsed = apiKeyFileSchema.safeParse(json);
  if (!parsed.success) throw new ApiKeyFileError(`${path}: ${formatZodError(parsed.error)}`);
  return parsed.data;
}

/** The key file's keys; a file that does not exist yet holds none. */
export async function readApiKeyFile(path: string): Promise<ApiKeyFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { keys: [] };
    throw new ApiKeyFileError(`cannot read ${path}: ${code ?? (error as Error).message}`);
  }
  return parseApiKeyFile(path, text);
}

/**
 * Writes the key file readable by its owner only, aside and renamed into place, so a gateway
 * reading it meanwhile never sees half a file. Two CLI runs at once may lose one key: make keys
 * one at a time.
 */
async function writeApiKeyFile(path: string, file: ApiKeyFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await rename(partial, path);
}

/** Makes a key and stores its record; the returned token is the only copy of the secret. */
export async function addApiKey(path: string, input: NewApiKey): Promise<{ token: string; record: ApiKeyRecord }> {
  const file = await readApiKeyFile(path);
  const created = createApiKey(input);
  await writeApiKeyFile(path, { keys: [...file.keys, created.record] });
  return created;
}

/** Removes a key; false when no key has the id. */
export async function revokeApiKey(path: string, id: string): Promise<boolean> {
  const file = await readApiKeyFile(path);
  const keys = file.keys.filter((key) => key.id !== id);
  if (keys.length === file.keys.length) return false;
  await writeApiKeyFile(path, { keys });
  return true;
}
