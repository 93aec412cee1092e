// Phone numbers. A run of digit groups is a phone only with evidence beyond its digits: a phone
// word near it ("call me at", "Fax:", "... mobile"), or a shape few other numbers take (a "+"
// country code that libphonenumber-js validates, "(555) 123-4567", "555-123-4567", a trunk "0"
// with grouped digits). Years, year ranges, dates, ZIP codes, street numbers, money and
// identifiers of other kinds share the digits but not the evidence, and are rejected first.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { matchesOf, type PiiSpan } from './pii-span';

// Digit groups joined by spaces, dots, dashes, slashes or parentheses, an optional + and extension. A
// trailing "-Fax" or "-Office" label may follow; a further digit may not.
// A country code may stand in brackets ("(+358) 893226936"); an area code may end in a slash ("06-72/386 6342").
const phoneCandidate = new RegExp(String.raw`(?<![\w.+-])(?:\(\+\d{1,4}\)|(?:\+|00)?\(?\d{1,4}\)?)` +
  String.raw`(?:(?:[ .-]|\/ ?)?\(?\d{1,4}\)?){1,6}(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?!\w|-\d)`, 'gi');

/** Words that say a number nearby is a phone number. */
const phoneWords = new RegExp(String.raw`\b(?:phone|telephone|tel|mobile|mob|cell|cellphone|fax|call|calls|called|` +
  String.raw`calling|dial|ring|text|sms|whatsapp|contact|reach|reached|hotline|helpline|landline|desk|office|` +
  String.raw`ext|extension|voicemail|answering|messages?|registered|number)\b`, 'i');
/** Words that make a nearby number some other identifier, unless a phone word is closer. */
const otherNumberWords = new RegExp(String.raw`\b(?:licen[cs]e|passport|account|acct|card|order|invoice|policy|` +
  String.raw`ticket|tracking|serial|ref|reference|id|isbn|issn|case|claim|customer|member|routing|sort\s+code|vin|` +
  String.raw`patent|zip|postal|postcode|post\s+code|cep|plz|apt|apartment|suite|unit|box|floor|room|page|pages|pp|` +
  String.raw`section|chapter|volume|vol|version|v|price|cost|total|population|salary|km|miles|kg)\b`, 'i');
/** Words after a number that make it a street number or a quantity. */
const streetOrUnitAfter = new RegExp(String.raw`^[ ,]*(?:[\p{L}'’.-]+\s+){0,3}(?:street|st|road|rd|avenue|ave|` +
  String.raw`lane|ln|drive|dr|close|place|pl|court|ct|way|boulevard|blvd|square|terrace|crescent|highway|hwy|` +
  String.raw`pass|alley|row|parkway|path|trail|circle|plaza|gardens|grove|mews|walk|union|flat)\b` +
  String.raw`|^\s*(?:%|percent|kg|km|mi|miles|m|cm|mm|g|lbs?|tons?|people|persons|years|days|hours|usd|eur|dollars|` +
  String.raw`euros|pounds)\b|^[ ,]*(?:rue|via|calle|avenida|rua)\b`, 'iu');
const streetBefore = /\b(?:rue|via|calle|avenida|rua|suite|apt|apartment|unit|box|no\.?|#)\s*$/i;

/** A number labelled as another identifier right before it: "order 123-456-7890", "Ticket #: 555.123.4567". */
const labelledOtherNumber = new RegExp(String.raw`\b(?:order|invoice|ticket|tracking|serial|ref|reference|case|` +
  String.raw`claim|policy|account|acct|member|customer|isbn|vin|patent|id)(?:\s*(?:no\.?|nr\.?|number|#|id))?` +
  String.raw`\s*[:#]?\s*$`, 'i');

/** Shapes that are never phone numbers, whatever the context. */
function isOtherNumber(main: string): boolean {
  return /^(?:1[5-9]|20)\d\d\s*[-–—/]\s*(?:(?:1[5-9]|20)\d\d|\d\d)$/.test(main) // year range: 1990-1995, 1914–18
    || /^\d{4}[-./]\d{1,2}[-./]\d{1,2}(?:\s\d{1,2})?$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(main) // dates
    || /^\d{3}-\d{2}-\d{4}$/.test(main) // an SSN's shape, valid or not
    || /^\d{5}-\d{3,4}$/.test(main) // ZIP+4, Brazilian CEP
    || /^(?:1[5-9]|20)\d\d(?:\s(?:1[5-9]|20)\d\d)+$/.test(main); // a list of years
}

/** Shapes few numbers but phone numbers take, so no phone word is needed. */
function hasPhoneShape(main: string, region: string): boolean {
  const digits = main.replace(/\D/g, '');
  if (main.startsWith('+')) return parsePhoneNumberFromString(main, { extract: false })?.isValid() ?? false;
  // North American: (555) 123-4567, 555-123-4567, 555.123.4567, optionally 1- or 001- in front.
  if (/^(?:(?:00)?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[.-])\d{3}[.-]\d{4}$/.test(main)) return true;
  // A bracketed area code that is not a year: "(07) 5331 0577", "(96) 627-277".
  if (/^\(\d{1,4}\)\s?\d{2,4}(?:[ .-]?\d{2,4}){1,3}$/.test(main) && !/^\((?:1[5-9]|20)\d\d\)/.test(main)) return true;
  // A national trunk "0" with the digits in groups: "0494 92 82 32", "01.84.17.61.18".
  if (/^0\d{1,4}(?:[ .-]\d{2,4}){2,4}$/.test(main) && digits.length >= 9) return true;
  const parsed = parsePhoneNumberFromString(main, { defaultCountry: region as CountryCode, extract: false });
  return (parsed?.isValid() ?? false) && /^\d{2,4}([ .-])\d{2,4}(?:\1\d{2,4}){1,3}$/.test(main) && digits.length >= 9;
}

/** Is there a phone word just before (same or previous line) or just after the number? */
function hasPhoneContext(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  // Only the nearest clause counts: "... 1990. Call" is not context for a number two sentences on.
  // The period of an abbreviation ("Tel.", "Ph.", "Nr.") ends no clause.
  const nearest = before.split(/(?<!\b(?:tel|ph|mob|tlf|tfno?|nr|no))[.;!?](?:\s|$)|\d[\d .-]{5,}\d/i).pop() ?? '';
  const after = text.slice(end, end + 16).split(/[.;!?,](?:\s|$)/)[0] ?? '';
  const phoneHits = [...nearest.matchAll(new RegExp(phoneWords, 'gi'))];
  const phoneAt = Math.max(...phoneHits.filter((hit) => !/^number$/i.test(hit[0])).map((hit) => hit.index ?? 0), -1);
  const otherHits = [...nearest.matchAll(new RegExp(otherNumberWords, 'gi'))];
  const otherAt = Math.max(...otherHits.map((hit) => hit.index ?? 0), -1);
  if (phoneAt >= 0 && phoneAt > otherAt) return true;
  // "number" alone is a phone word only where no other kind of number is named ("license number").
  if (otherAt < 0 && phoneHits.length > 0) return true;
  return /^[\s(-]*(?:phone|tel|mobile|cell|fax|office|home|work|desk|direct|landline)\b/i.test(after);
}

/** Phone-number spans in `text`; `region` is the country assumed for national formats. */
export function detectPhones(text: string, region: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of matchesOf(phoneCandidate, text)) {
    const main = match.value.replace(/\s?(x|ext\.?)\s?\d+$/i, '').trim();
    const mainDigits = main.replace(/\D/g, '');
    if (mainDigits.length < 7 || mainDigits.length > 15 || isOtherNumber(main)) continue;
    const after = text.slice(match.end, match.end + 60);
    const before = text.slice(Math.max(0, match.start - 20), match.start);
    if (streetOrUnitAfter.test(after) || streetBefore.test(before) || /[$€£¥]\s*$/.test(before)) continue;
    const context = hasPhoneContext(text, match.start, match.end);
    // Its own label outranks a phone's shape; a phone word after it ("order line 555-…: phone") still counts.
    if (labelledOtherNumber.test(before) && !context) continue;
    // A bare digit run needs a phone word: "3660170548-Fax" is a phone, "12345678" alone is not.
    if (mainDigits === main && !context) continue;
    if (context || hasPhoneShape(main, region)) spans.push({ type: 'PHONE', ...match });
  }
  return spans;
}
