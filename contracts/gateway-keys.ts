import { z } from 'zod';
import { identifierSchema } from './ids';

// The HTTP gateway's API keys as they are stored: the CLI writes the key file, the gateway reads
// it. Only a hash of each key's secret is stored; the key itself is shown once, when it is made.

/** What a key may do: call pipelines, decide reviews, or operate (set budgets, the codec server). */
export const gatewayRoles = ['caller', 'reviewer', 'operator'] as const;
export const gatewayRoleSchema = z.enum(gatewayRoles);
export type GatewayRole = z.infer<typeof gatewayRoleSchema>;

/** A key's public id: 16 lowercase hex characters (no `_`, so the token splits unambiguously). */
export const apiKeyIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex characters');

/**
 * An API key as sent: `sk_<id>_<secret>`, the secret being 32 random bytes in base64url (43
 * characters). Group 1 is the id, group 2 the secret.
 */
export const apiKeyTokenPattern = /^sk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** One stored key. */
export const apiKeyRecordSchema = z.strictObject({
  id: apiKeyIdSchema,
  /** The tenant every request made with the key acts for; requests never choose it themselves. */
  tenant: identifierSchema,
  /** Who holds the key; for a reviewer key, the reviewer id its decisions are recorded under. */
  name: identifierSchema,
  roles: z.array(gatewayRoleSchema).min(1, 'give at least one role'),
  /** Reviewer groups a reviewer key may list and decide; every group of its tenant when absent. */
  reviewerGroups: z.array(identifierSchema).min(1).optional(),
  /** ISO time the key was made. */
  createdAt: z.iso.datetime(),
  /** SHA-256 of the secret, lowercase hex. */
  secretSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lowercase hex'),
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;

/** The key file (`SLUICE_GATEWAY_KEYS_FILE`, default `<SLUICE_DATA_DIR>/gateway-keys.json`). */
export const apiKeyFileSchema = z.strictObject({ keys: z.array(apiKeyRecordSchema) }).superRefine((file, context) => {
  const seen = new Set<string>();
  for (const [index, key] of file.keys.entries()) {
    if (seen.has(key.id)) {
      context.addIssue({ code: 'custom', message: 'duplicate key id', path: ['keys', index, 'id'] });
    }
    seen.add(key.id);
  }
});
export type ApiKeyFile = z.infer<typeof apiKeyFileSchema>;

/** The key file's name under the data folder when SLUICE_GATEWAY_KEYS_FILE is unset. */
export const defaultApiKeyFileName = 'gateway-keys.json';
