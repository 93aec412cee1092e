// Detectors for PII with a structure a library can validate: emails (validator), phone numbers
// (libphonenumber-js), cards (Luhn, validator), IBANs (ibantools, checksum), US SSNs (the SSA's
// allocation rules), IP addresses (validator) and secrets (known key formats and entropy).
// Regexes here only find candidates; the libraries decide.
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import validator from 'validator';
import { matchesOf, type PiiSpan } from './pii-span';

const emailCandidate = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const cardCandidate = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const ibanCandidate = /\b[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}\b/g;
const ssnCandidate = /(?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])/g;
const ipv4Candidate = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/g;
const ipv6Candidate = /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g;
// Digit groups joined by spaces, dots, dashes or parentheses, an optional + and extension.
const phoneCandidate = /(?<![\w.+-])(?:\+|00)?\(?\d{1,4}\)?(?:[ .-]?\(?\d{1,4}\)?){1,6}(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\w-])/gi;

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
  return [...matchesOf(emailCandidate, text)].filter((match) => validator.isEmail(match.value, { allow_utf8_local_part: true })).map((match) => ({ type: 'EMAIL', ...match }));
}

export function detectCards(text: string): PiiSpan[] {
  return [...matchesOf(cardCandidate, text)].filter((match) => validator.isLuhnNumber(match.value.replace(/[ -]/g, ''))).map((match) => ({ type: 'CREDIT_CARD', ...match }));
}

export function detectIbans(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of matchesOf(ibanCandidate, text)) {
    // A candidate may run into the next word; shrink from the right until the checksum holds.
    let value = match.value.trimEnd();
    while (value.length >= 15) {
      const electronic = electronicFormatIBAN(value.toUpperCase());
      if (electronic && isValidIBAN(electronic)) {
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
    if (digits.length === match.value.length) return /\b(ssn|social security)\b/i.test(text.slice(Math.max(0, match.start - 40), match.start));
    const area = Number(digits.slice(0, 3));
    return area !== 0 && area !== 666 && area < 900 && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
  }).map((match) => ({ type: 'US_SSN', ...match }));
}

export function detectIpAddresses(text: string): PiiSpan[] {
  const v4 = [...matchesOf(ipv4Candidate, text)].filter((match) => validator.isIP(match.value, 4));
  const v6 = [...matchesOf(ipv6Candidate, text)].filter((match) => match.value.length >= 6 && validator.isIP(match.value, 6));
  return [...v4, ...v6].map((match) => ({ type: 'IP_ADDRESS', ...match }));
}

export function detectPhones(text: string, region: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of matchesOf(phoneCandidate, text)) {
    const digits = match.value.replace(/\D/g, '');
    const main = match.value.replace(/\s?(x|ext\.?)\s?\d+$/i, '');
    const mainDigits = main.replace(/\D/g, '');
    if (mainDigits.length < 7 || mainDigits.length > 15 || digits === match.value) continue;
    // Dates and decimals share the shape of short digit groups; leave those alone.
    // (ISO dates may be followed by an hour: "2020-06-20 14:05").
    if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}(\s\d{1,2})?$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(main.trim())) continue;
    // The 3-2-4 shape is an SSN's (valid or not), never a phone number's.
    if (/^\d{3}-\d{2}-\d{4}$/.test(main.trim())) continue;
    const parsed = parsePhoneNumberFromString(main, { defaultCountry: region as CountryCode, extract: false });
    const possible = parsed?.isPossible() ?? false;
    // Numbers in another country's national format are not "possible" in the default region;
    // accept them when they are written as phone numbers are (groups of digits).
    const groups = main.split(/[\s.()-]+/).filter(Boolean);
    if (possible || (groups.length >= 2 && groups.every((group) => group.length <= 5))) spans.push({ type: 'PHONE', ...match });
  }
  return spans;
}

export function detectSecrets(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const pattern of secretPatterns) for (const match of matchesOf(pattern, text)) spans.push({ type: 'SECRET', ...match });
  for (const match of matchesOf(tokenCandidate, text)) {
    // Long random-looking tokens (mixed case and digits, high entropy) are treated as secrets.
    const value = match.value;
    if (/[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value) && entropy(value) >= 4) spans.push({ type: 'SECRET', ...match });
  }
  return spans;
}
