// Words around a capitalised phrase that say whether it names a person. These are ordinary
// English patterns (a title, "my name is", a speech verb, a family or job role), not phrases of
// any one data set; each list is matched against the few words next to the phrase only.

/** Directly before a name: introductions, titles, greetings and sign-offs. */
export const strongCueBefore = new RegExp(
  String.raw`(?:\bname(?:\s+is|'s|’s|\s*:)?|\bnames\s+are|\b(?:named|called|call\s+me|i'm|i’m|i\s+am|this\s+is|` +
  String.raw`it's\s+under|under|dear|hi|hello|hey|thanks|thank\s+you|mr|mrs|ms|miss|mx|dr|prof|sir|madam|signed|` +
  String.raw`regards|sincerely|attn|attention|user|contact|cc|by))\s*[.:,]?\s*$`, 'i');

/**
 * Directly before a person's own name, asked or told: "her maiden name is", "What's your last name?". What follows
 * is a name even when it is also a word ("Vida", "Boyle").
 */
export const personNameCueBefore = new RegExp(
  String.raw`\b(?:my|his|her|their|your|maiden|last|first|full|family|given|middle|sur)\s*name` +
  String.raw`(?:\s+is|\s+was|'s|’s|\s*:|\s*\?)\s*$`, 'i');

/** A relative of the writer's or another's, right before a name: "my kid Florence" is a person, not the city. */
export const kinBefore = new RegExp(
  String.raw`\b(?:my|his|her|their|our|your)\s+(?:kid|son|daughter|child|wife|husband|brother|sister|mother|` +
  String.raw`father|mom|dad|aunt|uncle|grandmother|grandfather|grandson|granddaughter|nephew|niece|cousin)\s*,?\s*$`,
  'i');

/** Before a name, weaker: speech verbs, roles and relations ("assistant to", "directed by", "my kid"). */
export const roleCueBefore = new RegExp(
  String.raw`\b(?:said|says|asked|told|tells|with|kid|son|daughter|child|wife|husband|brother|sister|mother|` +
  String.raw`father|mom|dad|aunt|uncle|grandmother|grandfather|cousin|friend|partner|colleague|boss|manager|` +
  String.raw`assistant\s+to|producer|director|directed|starring|featuring|author|writer|player|singer|actor|actress|` +
  String.raw`ceo|cfo|cto|founder|guardian|beneficiary|commenter|spokesperson|spokesman|spokeswoman|minister|` +
  String.raw`president|chairman|chairwoman|professor|lawyer|attorney|doctor|nurse|agent|including|add|met|meet|` +
  String.raw`ask|tell|follow\s+up\s+with|about|between|him|her|me|and|or|like)\s*[,:]?\s*$`, 'i');

/** Directly after a name: what people do in text (speech, living, working, being born). */
export const strongCueAfter = new RegExp(
  String.raw`^(?:\s*,?\s*(?:who|whose)\b|\s+(?:said|says|asked|asks|replied|shouted|wrote|writes|told|tells|` +
  String.raw`lives|lived|spent|began|begins|joined|founded|explained|added|noted|is\s+from|was\s+born|` +
  String.raw`will\s+be|has\s+been|had\s+given|speaks?|listed)\b|\s*:\s*["“]|\s*:\s+\p{L}` +
  // Spoken to: "Jakobine, can I please speak to …", "Vide, would you …".
  String.raw`|,\s*(?:(?:can|could|would|will)\s+(?:i|you|we)|please)\b)`, 'iu');

/** Words that end a street name: a phrase before or ending in one is an address, not a person. */
export const streetWords = new Set([
  'street', 'st', 'road', 'rd', 'avenue', 'ave', 'lane', 'ln', 'drive', 'dr', 'close', 'place', 'pl', 'court', 'ct',
  'way', 'boulevard', 'blvd', 'square', 'sq', 'terrace', 'crescent', 'highway', 'hwy', 'pass', 'alley', 'row',
  'parkway', 'path', 'trail', 'circle', 'plaza', 'gardens', 'grove', 'mews', 'walk', 'union', 'flat', 'flats',
  'estate', 'park', 'station', 'bridge', 'hill', 'hills', 'heights', 'ridge', 'point', 'port', 'harbor', 'harbour',
  'loop', 'run', 'manor', 'expressway', 'freeway', 'junction', 'cove', 'creek', 'meadows', 'village', 'valley',
]);
/** Words that open a street name in many languages ("Rue", "Via", "Calle"). */
export const streetPrefixes = new Set([
  'rue', 'via', 'viale', 'calle', 'avenida', 'av', 'rua', 'travessa', 'ulica', 'ul', 'utca', 'strada', 'piazza',
  'plaza', 'boulevard', 'avenue', 'chemin', 'allée', 'route', 'quai', 'straße', 'strasse', 'weg', 'platz',
]);
/**
 * Nouns after a lone capitalised word that make it a place: "Austin office", "Sydney weather". A given name alone
 * before one is a city far more often than a person (queries and headings: "Charlotte office address").
 */
export const placeNounsAfter = new Set([
  'office', 'offices', 'airport', 'weather', 'campus', 'branch', 'headquarters', 'hq', 'downtown', 'traffic',
  'hotels', 'restaurants', 'zoo', 'metro', 'suburbs', 'area', 'region', 'county', 'marathon', 'skyline', 'timezone',
]);

/** Words that end an organisation's name. */
export const organisationWords = new Set([
  'inc', 'llc', 'ltd', 'llp', 'plc', 'corp', 'corporation', 'co', 'company', 'group', 'bank', 'investments', 'capital',
  'partners', 'solutions', 'technologies', 'technology', 'agency', 'insurance', 'university', 'college', 'school',
  'foundation', 'institute', 'association', 'society', 'club', 'analytics', 'research', 'labs', 'systems', 'services',
  'holdings', 'consulting', 'media', 'ventures', 'international', 'global', 'enterprises', 'gmbh', 'ag', 'sa', 'bv',
  'industries', 'hospital', 'clinic', 'church', 'museum', 'orchestra', 'records', 'press', 'airlines', 'motors',
  'pharmaceuticals', 'energy', 'stanley', 'sachs', 'brothers', 'bros', 'associates', 'network', 'networks', 'studios',
]);
/** Particles inside names ("Anna van der Berg", "Willemine ten Pas"). */
export const nameParticles = new Set([
  'van', 'der', 'den', 'de', 'ten', 'ter', 'von', 'da', 'di', 'del', 'della', 'dos', 'das', 'du', 'la', 'le', 'bin',
  'ibn', 'al', 'el', 'y',
]);
/** Honorifics, which precede a name but are not part of it. */
export const honorific = /^(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam|dame|lord|lady|herr|frau)$/i;
/** Words before a phrase that make it a place, organisation or job title rather than a person. */
export const placeOrOrganisationBefore = new Set([
  'in', 'at', 'from', 'of', 'for', 'near', 'into', 'became', 'become', 'visit', 'visited', 'via', 'across', 'around',
  'the', 'as', 'outside', 'inside', 'toward', 'towards', 'within', 'throughout', 'city', 'town', 'village', 'country',
  'state', 'province', 'county', 'region', 'river', 'lake', 'mount', 'island', 'district', 'street',
]);
/** Before a phrase: going somewhere ("flew to Coles", "returned to Feliciano"), so a place. */
export const travelBefore = new RegExp(
  String.raw`\b(?:flew|flown|fly|flying|travell?ed|travell?ing|returned|returning|moved|moving|drove|driving|went|` +
  String.raw`going|headed|heading|sailed|relocated|relocating)\s+(?:back\s+)?to\s+$`, 'i');

/** First words of capitalised phrases that name storms, places and buildings, not people. */
export const nonPersonHeads = new Set([
  'hurricane', 'storm', 'tropical', 'typhoon', 'cyclone', 'mount', 'lake', 'river', 'cape', 'fort', 'port', 'saint',
  'university', 'college', 'bank', 'hotel', 'hospital', 'church', 'airport', 'station', 'museum', 'operation',
]);
/** Titles and ranks that precede a name and are not part of it. */
export const titleWords = new Set([
  'president', 'captain', 'administrator', 'governor', 'general', 'colonel', 'major', 'lieutenant', 'sergeant',
  'admiral', 'senator', 'king', 'queen', 'prince', 'princess', 'emperor', 'pope', 'bishop', 'father', 'sister',
  'brother', 'judge', 'justice', 'chancellor', 'minister', 'mayor', 'professor', 'doctor', 'chief', 'officer',
  'commander', 'secretary', 'director', 'producer', 'coach', 'uncle', 'aunt', 'saint',
]);
