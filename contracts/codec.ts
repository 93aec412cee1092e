import { z } from 'zod';

// Shapes at the edges of the payload codec: the key file workers and clients read
// (SLUICE_CODEC_KEY_FILE, or the one-machine `<dataDir>/codec-keys.json`) and the body of
// Temporal's remote codec protocol (`POST /encode`, `POST /decode`), which is proto3 JSON.

/** A key id as it travels in every encrypted payload's metadata: short, printable, no separators. */
export const codecKeyIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores');

/** 32 bytes in standard base64 is always 43 characters and one `=`. */
export const codecKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)');

/** `{ "active": "k2", "keys": { "k2": "<base64>", "k1": "<base64>" } }`: new payloads use `active`. */
export const codecKeyFileSchema = z
  .object({
    active: codecKeyIdSchema,
    keys: z.record(codecKeyIdSchema, codecKeySchema),
  })
  .refine((file) => Object.hasOwn(file.keys, file.active), {
    message: 'names no key in `keys`',
    path: ['active'],
  });
export type CodecKeyFile = z.infer<typeof codecKeyFileSchema>;

/**
 * A proto3 JSON `bytes` field: padded standard base64, as the Temporal UI and CLI send it. Strict,
 * so a plain `"json/plain"` (a common mistake) is a 400 rather than a payload of garbage bytes.
 */
const base64BytesSchema = z.base64('must be base64');

/** One Temporal Payload in proto3 JSON: every metadata value and the data are base64. */
export const jsonPayloadSchema = z.object({
  metadata: z.record(z.string(), base64BytesSchema).optional(),
  data: base64BytesSchema.optional(),
});
export type JsonPayload = z.infer<typeof jsonPayloadSchema>;

/** The body of a codec request and of its answer. */
export const codecPayloadsBodySchema = z.object({ payloads: z.array(jsonPayloadSchema) });
export type CodecPayloadsBody = z.infer<typeof codecPayloadsBodySchema>;
