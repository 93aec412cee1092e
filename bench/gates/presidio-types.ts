import type { PiiType } from '../../contracts/gates';

/** Presidio's entity names (the labels of eval/pii and of files in its layout) mapped to the PII gate's types. */
export const presidioTypes: Readonly<Record<string, PiiType>> = {
  PERSON: 'PERSON', EMAIL_ADDRESS: 'EMAIL', PHONE_NUMBER: 'PHONE', CREDIT_CARD: 'CREDIT_CARD', IBAN_CODE: 'IBAN',
  US_SSN: 'US_SSN', IP_ADDRESS: 'IP_ADDRESS',
};
