import type { PiiType } from '../../../contracts/gates';
import { detectPersonNames } from './person-names';
import { resolveOverlaps, type PiiSpan } from './pii-span';
import { detectOrganisationNames } from './organisation-names';
import { detectPhones } from './phone-numbers';
import { detectPlaceNames } from './place-names';
import {
  detectCards, detectEmails, detectIbans, detectIpAddresses, detectSecrets, detectSsns,
} from './structured-detectors';

const detectors: Record<PiiType, (text: string, region: string) => PiiSpan[]> = {
  SECRET: detectSecrets,
  EMAIL: detectEmails,
  IBAN: detectIbans,
  CREDIT_CARD: detectCards,
  US_SSN: detectSsns,
  IP_ADDRESS: detectIpAddresses,
  PHONE: detectPhones,
  PERSON: detectPersonNames,
  LOCATION: detectPlaceNames,
  ORGANIZATION: detectOrganisationNames,
};

/**
 * Every PII span of the requested types in `text` (which should already be canonical, so
 * zero-width characters cannot split a value), without overlaps, sorted by position.
 */
export function detectPii(text: string, types: readonly PiiType[], region = 'US'): PiiSpan[] {
  if (!text) return [];
  return resolveOverlaps(types.flatMap((type) => detectors[type](text, region)));
}
