// Past forms of common irregular English verbs, mapped to the base form. The Porter stemmer folds
// "runs" and "running" into "run" but leaves "ran" apart, so "How long did Apollo run?" shared no
// term with "Apollo ran from 1961 to 1972". A closed list: irregular verbs do not grow.
const forms: Record<string, string> = {};
const table = `
be was were been; begin began begun; bear bore born borne; beat beaten; become became; break broke broken;
bring brought; build built; buy bought; catch caught; choose chose chosen; come came; cost; cut; deal dealt;
do did done; draw drew drawn; drive drove driven; eat ate eaten; fall fell fallen; feed fed; feel felt;
fight fought; find found; fly flew flown; forbid forbade forbidden; forget forgot forgotten; freeze froze frozen;
get got gotten; give gave given; go went gone; grow grew grown; hang hung; have had; hear heard; hide hid hidden;
hold held; keep kept; know knew known; lay laid; lead led; leave left; lend lent; lie lay lain; lose lost;
make made; mean meant; meet met; pay paid; ride rode ridden; rise rose risen; run ran; say said; see saw seen;
seek sought; sell sold; send sent; set; shake shook shaken; shine shone; shoot shot; show showed shown;
shrink shrank shrunk; sing sang sung; sink sank sunk; sit sat; sleep slept; speak spoke spoken; spend spent;
stand stood; steal stole stolen; strike struck stricken; swear swore sworn; swim swam swum; take took taken;
teach taught; tear tore torn; tell told; think thought; throw threw thrown; understand understood;
wake woke woken; wear wore worn; win won; withdraw withdrew withdrawn; write wrote written; overthrow overthrew
overthrown; undertake undertook undertaken; arise arose arisen; seize seized; slay slew slain; flee fled;
forsake forsook forsaken; weave wove woven; bind bound; grind ground; wind wound; spread; split; quit; bid`;
for (const group of table.split(';')) {
  const [base, ...past] = group.trim().split(/\s+/);
  for (const form of past) forms[form] = base!;
}
// Forms that are more often other words: "left" (the side), "found" (to found), "lay", "saw" (the tool),
// "ground", "wound", "bound", "fed" and "lead"/"led" are kept as they are.
for (const ambiguous of ['left', 'found', 'lay', 'saw', 'ground', 'wound', 'bound', 'fed', 'led', 'born']) {
  delete forms[ambiguous];
}

/** The base form of an irregular past form ("ran" → "run"); any other word unchanged. */
export function verbLemma(word: string): string {
  return forms[word] ?? word;
}
