import { readFileSync } from 'node:fs';
import { formatZodError } from '../../contracts/format-error';
import { modelCatalogSchema, offlineCatalog, type ModelCatalog } from '../../contracts/model-catalog';

/** Environment variable naming a JSON model catalog file. */
export const modelCatalogVariable = 'SLUICE_MODEL_CATALOG';

/** Thrown at start-up for an unreadable or invalid catalog; the message names the field. */
export class ModelCatalogError extends Error {
  override readonly name = 'ModelCatalogError';
}

/** Validates a catalog object. */
export function parseModelCatalog(raw: unknown): ModelCatalog {
  const parsed = modelCatalogSchema.safeParse(raw);
  if (!parsed.success) throw new ModelCatalogError(`invalid model catalog: ${formatZodError(parsed.error)}`);
  return parsed.data;
}

/** The catalog from `SLUICE_MODEL_CATALOG` (a JSON file), or the offline default when unset. */
export function loadModelCatalog(environment: Record<string, string | undefined>): ModelCatalog {
  const path = environment[modelCatalogVariable];
  if (!path) return parseModelCatalog(offlineCatalog);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ModelCatalogError(`${modelCatalogVariable}: cannot read ${path}: ${(error as Error).message}`);
  }
  return parseModelCatalog(raw);
}
