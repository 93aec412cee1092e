// Hand-written signals of prompt injection and jailbreaks, English and German, matched on
// `matchingText` (canonical, look-alikes folded, lower case). Each signal has a weight; the
// trained classifier covers the phrasings no rule names. Rules are kept few and general. Other
// languages are in multilingual-rules.ts; the gate matches both on every view of the text
// (text-views.ts), so disguised text (rot13, look-alikes, tag characters …) meets the same rules.

export interface InjectionSignal {
  pattern: RegExp;
  weight: number;
  reason: string;
  /** Only applies to retrieved documents (indirect injection), not to the user's own text. */
  documentsOnly?: boolean;
  /** Does not fire where this matches: a weak signal that a stronger one of the same intent replaces. */
  unless?: RegExp;
}

const override = '(ignore|ignoring|disregard|forget|override|bypass|skip'
  + '|vergiss|vergesst|vergessen|ignorier\\w*|missachte\\w*|übergehe)';
const earlier = '(previous|prior|above|earlier|preceding|all|any|every|everything|your|the|these|those'
  + '|vorherige\\w*|bisherige\\w*|obige\\w*|alle\\w*|deine\\w*|die)';
const instructions = '(instructions?|rules|prompts?|programming|directions|directives|guidelines|tasks?|context|commands'
  + '|orders|anweisung\\w*|regeln|aufgabe\\w*|befehl\\w*|vorgaben|informationen)';

// The model's own set-up, by name or with an adjective between "your" and it ("your starting instructions").
const setUp = '(instructions|prompt|rules|configuration|directives|guidelines)';
const systemPromptQuestion = new RegExp('\\b(system[ _-]?prompt|initial prompt|hidden prompt|original prompt'
  + `|your (instructions|prompt|rules)|your (initial|original|starting|hidden|secret|system|first) ${setUp}`
  + '|deine(n)? (anweisungen|regeln|prompt))\\b');

// Chat-template tokens of the common model families (ChatML, Llama 2 and 3, Gemma, Alpaca-style
// headings) and role labels at the start of a line: user text has no business carrying them. Only spaces and tabs
// may lead a line's marker: `^\s*` under the `m` flag would run over every following newline from every line start,
// quadratic in a text of blank lines (8,000 of them took 180 ms, 32,000 took 1.6 s).
const chatTemplateMarkers = new RegExp([
  '<\\|(im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text)\\|>',
  '\\[\\/?inst\\]', '<<\\/?sys>>', '<\\/?start_of_turn>', '<end_of_turn>',
  '^[ \\t]*#{1,6}[ \\t]*(system|instructions?|new instructions|response)[ \\t]*(:|$)',
  '^[ \\t]*(system|assistant)\\s*:',
].join('|'), 'm');
/** Markup that opens a turn in the system's or developer's name: the strongest kind of role spoofing. */
const fakeSystemTurn = new RegExp([
  '<\\|im_start\\|>\\s*(system|developer)', '<\\|start_header_id\\|>\\s*(system|developer)',
  '<\\|(system|developer)\\|>',
  '<<sys>>', '<start_of_turn>\\s*system', '<\\/?(system|developer)>', '\\[(system|sys)\\]',
  '^[ \\t]*#{1,6}[ \\t]*(system|developer)( prompt| message)?[ \\t]*(:|$)',
].join('|'), 'm');

// What jailbreaks ask the model to be: free of its rules. Ordinary questions say the same words about other
// things ("Which plan has no limits?", "Is the API unfiltered?", "How do I enable developer mode on Android?",
// "How do I jailbreak my iPhone?"), so a mention alone is weak evidence, under the review threshold; said of
// the model or of how it answers, it is a jailbreak.
const unbound = '(no (restrictions|limits|limitations|filters|rules|guidelines|boundaries|censorship)'
  + '|without (any )?(restrictions|limitations|limits|filters|censorship|rules|guidelines)|unfiltered|uncensored'
  + '|unrestricted|developer mode|dan mode|jailbr(eak|oken)|ohne (einschränkungen|regeln|filter|zensur))';
const assistant = '(ai|assistant|chatbot|chat ?gpt|gpt|llm|ki|assistent)';
const unboundModel = new RegExp([
  // Named jailbreak modes, and turning one on as an order rather than a question.
  '\\b((dan|stan|dude|jailbreak|jailbroken) mode|do anything now|developer mode (output|response|enabled))\\b',
  '^[^a-z]*(please\\s+)?(enter|enable|activate|switch to|turn on|go into)\\s+(dan|developer|jailbreak|god|sudo) mode',
  // The model is, or answers, unbound.
  `\\b(you're|you are)\\s+(now\\s+)?(an?\\s+|in\\s+)?(\\w+\\s+)?${unbound}`,
  "\\b(you|you will|you'll|you can|you must)\\s+(now\\s+)?(be|become|act|answer|respond|reply|operate|behave|speak)"
    + `\\s+(now\\s+)?(an?\\s+|in\\s+|as\\s+an?\\s+)?(\\w+\\s+)?${unbound}`,
  `\\b(respond|answer|reply|speak|talk|act|behave|operate|output|write|generate)\\w*\\b.{0,30}${unbound}`,
  "\\byou (have no|don't have any|do not have any|no longer have( any)?) (restrictions|limits|rules|filters"
    + '|guidelines|boundaries|ethics|morals)\\b',
  `\\b${assistant}\\b.{0,25}${unbound}`,
  `${unbound}\\s+(${assistant}|version of (yourself|you|chat ?gpt))\\b`,
  // A persona described as unbound, and a jailbreak of a chatbot by name.
  `\\b(persona|character|alter ego)\\b.{0,80}${unbound}`,
  `\\bjailbr(eak|oken)\\b.{0,60}\\b(chat ?gpt|gpt|llm|language model|chatbot)\\b`,
  '\\b(chat ?gpt|gpt|llm|language model|chatbot)\\b.{0,60}\\bjailbr(eak|oken)\\b',
].join('|'));

const overrideEarlier = new RegExp(`\\b${override}\\b.{0,40}\\b${earlier}\\b.{0,40}\\b${instructions}\\b`, 's');
const forgetEverything = new RegExp('\\b(forget|vergiss|vergesst|ignore|ignoriere)\\s+(about\\s+)?'
  + '(everything|all( of)? that|alles|all das|das alles)\\b');
const replacedTask = new RegExp('\\b(new|neue|next|nächste)\\s+'
  + '(task|instructions?|aufgabe|anweisung(en)?|rolle|role)\\b'
  + '|\\b(now|jetzt|nun)\\b.{0,30}\\b(your|deine?)\\b.{0,10}\\b(task|aufgabe)\\b');
const rolePlay = new RegExp("\\b(you are now|you're now|act as|acting as|pretend (to be|you are|you're)|role-?play"
  + '|from now on,? you|du bist (jetzt|nun|ab sofort)|tu so,? als|stell dir vor,? du (bist|wärst)'
  + '|spiel(e|st)? die rolle)\\b');
const revealSecrets = new RegExp('\\b(reveal|print|show|repeat|output|leak|tell me|verrate|zeige?|gib)\\b.{0,40}'
  + '\\b(secret|password|api ?key|credentials|token|prompt|passwort|geheim\\w*|zugangsdaten)\\b');
const addressedToModel = new RegExp('\\b(ai|assistant|language model|llm|chatbot|ki|assistent)\\b.{0,40}'
  + '\\b(must|should|shall|muss|soll)\\b.{0,40}'
  + '\\b(ignore|instead|not tell|never mention|stattdessen|nicht erwähnen)\\b');
const hiddenInDocument =
  /\b(when|if) (summari[sz]ing|answering|reading|processing) this\b|\bnote to (the )?(ai|assistant|model)\b/;

// Role-play alone is weak evidence ("Act as a travel guide" is an ordinary prompt): its weight stays
// well below the review threshold, so a jailbreak persona is flagged by the classifier or by
// another signal, not by "act as" plus a faint classifier score.
export const injectionSignals: readonly InjectionSignal[] = [
  { pattern: overrideEarlier, weight: 0.9, reason: 'asks to override earlier instructions' },
  { pattern: forgetEverything, weight: 0.8, reason: 'asks to forget everything before' },
  { pattern: replacedTask, weight: 0.55, reason: 'replaces the task' },
  { pattern: systemPromptQuestion, weight: 0.5, reason: 'asks about the system prompt' },
  { pattern: rolePlay, weight: 0.3, reason: 'role-play escape' },
  { pattern: unboundModel, weight: 0.7, reason: 'known jailbreak phrase' },
  {
    pattern: new RegExp(`\\b${unbound}\\b`), unless: unboundModel, weight: 0.35,
    reason: 'mentions what jailbreaks ask for',
  },
  { pattern: revealSecrets, weight: 0.6, reason: 'asks to reveal secrets' },
  { pattern: chatTemplateMarkers, weight: 0.7, reason: 'chat-template or role markers' },
  { pattern: fakeSystemTurn, weight: 0.8, reason: 'opens a system or developer turn in chat-template markup' },
  { pattern: addressedToModel, weight: 0.6, reason: 'instructions addressed to the model', documentsOnly: true },
  { pattern: hiddenInDocument, weight: 0.6, reason: 'instructions hidden in a document', documentsOnly: true },
];

/** A deliberately naive baseline for the bench: flags text containing any of these words. */
export const naiveKeywords: readonly string[] = [
  'ignore', 'instructions', 'forget', 'jailbreak', 'system prompt', 'pretend', 'disregard', 'vergiss', 'ignoriere',
  'anweisungen',
];

/** The naive keyword-list baseline: 1 when any keyword occurs in the lower-cased text. */
export function naiveKeywordScore(text: string): number {
  const lower = text.toLowerCase();
  return naiveKeywords.some((keyword) => lower.includes(keyword)) ? 1 : 0;
}
