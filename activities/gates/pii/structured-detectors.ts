// Detectors for PII with a structure a library can validate: emails (validator), cards (Luhn,
// validator), IBANs (ibantools, checksum), US SSNs (the SSA's allocation rules), IP addresses
// (validator) and secrets (known key formats and entropy).
// Phone numbers, which need context as well as a format, are in phone-numbers.ts.
// Regexes here only find candidates; the libraries decide.
import { electronicFormatIBAN, validateIBAN, ValidationErrorsIBAN } from 'ibantools';
// Only the three checks used: the whole library costs ~1 MiB of heap in every worker.
import isEmail from 'validator/lib/isEmail';
import isIP from 'validator/lib/isIP';
import isLuhnNumber from 'validator/lib/isLuhnNumber';
import { matchesOf, type PiiSpan } from './pii-span';

// Tried only where a run of local-part characters starts: from inside one it would rescan the run's rest for an
// "@" each time, quadratic in any long run of letters, digits or dots (32,000 of them took 0.5 s).
const emailCandidate = /(?<![\p{L}\p{N}._%+'-])[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// Not inside a longer token of letters and digits ("GB59RKVA5255511950086" is an account, whatever its tail),
// nor after a "+" (a phone's country code: "+39 37155901325").
const cardCandidate = /(?<![\p{L}\d+-])\d(?:[ -]?\d){11,18}(?![\p{L}\d-])/gu;
// Twelve-digit cards (Maestro) are too like other numbers to take without the word "card" before them.
const cardContext = /\b(?:card|cc|credit|debit|maestro)\b[^.!?\d]{0,30}$/i;
const ibanCandidate = /\b[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}\b/g;
const ssnCandidate = /(?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])/g;
const ipv4Candidate = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/g;
const ipv6Candidate = /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g;

const secretPatterns: readonly RegExp[] = [
  /\b(?:sk|pk|rk)-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_-]{16,}\b/g, // OpenAI, Anthropic, Stripe-style keys
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API key
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, // JWT
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|passwort)\s*[:=]\s*["']?[^\s"']{6,}/gi,
];

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / value.length) * Math.log2(count / value.length);
  return bits;
}
const tokenCandidate = /(?<![A-Za-z0-9_/+=-])[A-Za-z0-9_/+=-]{32,}(?![A-Za-z0-9_/+=-])/g;

export function detectEmails(text: string): PiiSpan[] {
  return [...matchesOf(emailCandidate, text)]
    .filter((match) => isEmail(match.value, { allow_utf8_local_part: true }))
    .map((match) => ({ type: 'EMAIL', ...match }));
}

export function detectCards(text: string): PiiSpan[] {
  return [...matchesOf(cardCandidate, text)].filter((match) => {
    const digits = match.value.replace(/[ -]/g, '');
    if (digits.length === 12 && !cardContext.test(text.slice(Math.max(0, match.start - 40), match.start))) return false;
    // The body of an IBAN after its country and check digits ("DE89 3704 0044 …") is no card.
    if (/\b[A-Za-z]{2}\d{2} ?$/.test(text.slice(Math.max(0, match.start - 6), match.start))) return false;
    return isLuhnNumber(digits);
  }).map((match) => ({ type: 'CREDIT_CARD', ...match }));
}

/**
 * The country's length and format and the IBAN's mod-97 checksum. A failed national check digit
 * (France's RIB key, Poland's bank code check) still leaves an account number, mistyped or not.
 */
function isIbanShaped(electronic: string): boolean {
  const { valid, errorCodes } = validateIBAN(electronic);
  return valid || errorCodes.every((code) => code === ValidationErrorsIBAN.WrongAccountBankBranchChecksum);
}

export function detectIbans(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of matchesOf(ibanCandidate, text)) {
    // A candidate may run into the next word; shrink from the right until the checksum holds.
    let value = match.value.trimEnd();
    while (value.length >= 15) {
      const electronic = electronicFormatIBAN(value.toUpperCase());
      if (electronic && isIbanShaped(electronic)) {
        spans.push({ type: 'IBAN', value, start: match.start, end: match.start + value.length });
        break;
      }
      value = value.slice(0, -1).trimEnd();
    }
  }
  return spans;
}

export function detectSsns(text: string): PiiSpan[] {
  return [...matchesOf(ssnCandidate, text)].filter((match) => {
    const digits = match.value.replace(/\D/g, '');
    // Bare nine-digit numbers are too ambiguous without a separator.
    if (digits.length === match.value.length) {
      return /\b(ssn|social security)\b/i.test(text.slice(Math.max(0, match.start - 40), match.start));
    }
    const area = Number(digits.slice(0, 3));
    return area !== 0 && area !== 666 && area < 900 && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
  }).map((match) => ({ type: 'US_SSN', ...match }));
}

export function detectIpAddresses(text: string): PiiSpan[] {
  const v4 = [...matchesOf(ipv4Candidate, text)].filter((match) => isIP(match.value, 4));
  const v6 = [...matchesOf(ipv6Candidate, text)]
    .filter((match) => match.value.length >= 6 && isIP(match.value, 6));
  return [...v4, ...v6].map((match) => ({ type: 'IP_ADDRESS', ...match }));
}

export function detectSecrets(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const pattern of secretPatterns) {
    for (const match of matchesOf(pattern, text)) spans.push({ type: 'SECRET', ...match });
  }
  for (const match of matchesOf(tokenCandidate, text)) {
    // Long random-looking tokens (mixed case and digits, high entropy) are treated as secrets.
    const value = match.value;
    const mixed = /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value);
    if (mixed && entropy(value) >= 4) spans.push({ type: 'SECRET', ...match });
  }
  return spans;
}
