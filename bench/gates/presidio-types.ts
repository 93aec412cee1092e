import type { PiiType } from '../../contracts/gates';

/** Presidio's entity names (the labels of eval/pii and of files in its layout) mapped to the PII gate's types. */
export const presidioTypes: Readonly<Record<string, PiiType>> = {
  PERSON: 'PERSON', EMAIL_ADDRESS: 'EMAIL', PHONE_NUMBER: 'PHONE', CREDIT_CARD: 'CREDIT_CARD', IBAN_CODE: 'IBAN',
  US_SSN: 'US_SSN', IP_ADDRESS: 'IP_ADDRESS',
};

/** Presidio's place and organisation labels, scored against the gate's optional types (off by default, so apart). */
export const optionalPresidioTypes: Readonly<Record<string, PiiType>> = {
  GPE: 'LOCATION', LOCATION: 'LOCATION', ORGANIZATION: 'ORGANIZATION',
};
/** Presidio's address labels: a whole address is one span, so a place found inside one is not a wrong place. */
export const presidioAddressTypes: ReadonlySet<string> = new Set(['ADDRESS', 'STREET_ADDRESS']);
