// Past forms of common irregular English verbs, mapped to the base form. The Porter stemmer folds
// "runs" and "running" into "run" but leaves "ran" apart, so "How long did Apollo run?" shared no
// term with "Apollo ran from 1961 to 1972". A closed list: irregular verbs do not grow.
// Left out, as more often other words: left (the side), found (to found), lay, saw (the tool), ground,
// wound, bound, fed, led, born.
const table = `
be was were been; begin began begun; bear bore borne; beat beaten; become became; break broke broken;
bring brought; build built; buy bought; catch caught; choose chose chosen; come came; deal dealt;
do did done; draw drew drawn; drive drove driven; eat ate eaten; fall fell fallen; feel felt;
fight fought; fly flew flown; forbid forbade forbidden; forget forgot forgotten; freeze froze frozen;
get got gotten; give gave given; go went gone; grow grew grown; hang hung; have had; hear heard; hide hid hidden;
hold held; keep kept; know knew known; lay laid; lend lent; lie lain; lose lost;
make made; mean meant; meet met; pay paid; ride rode ridden; rise rose risen; run ran; say said; see seen;
seek sought; sell sold; send sent; shake shook shaken; shine shone; shoot shot; show showed shown;
shrink shrank shrunk; sing sang sung; sink sank sunk; sit sat; sleep slept; speak spoke spoken; spend spent;
stand stood; steal stole stolen; strike struck stricken; swear swore sworn; swim swam swum; take took taken;
teach taught; tear tore torn; tell told; think thought; throw threw thrown; understand understood;
wake woke woken; wear wore worn; win won; withdraw withdrew withdrawn; write wrote written;
overthrow overthrew overthrown; undertake undertook undertaken; arise arose arisen; seize seized; slay slew slain;
flee fled; forsake forsook forsaken; weave wove woven`;

const forms = new Map(table.split(';').flatMap((group) => {
  const [base, ...past] = group.trim().split(/\s+/);
  return past.map((form) => [form, base!] as const);
}));

/** The base form of an irregular past form ("ran" → "run"); any other word unchanged. */
export function verbLemma(word: string): string {
  return forms.get(word) ?? word;
}
