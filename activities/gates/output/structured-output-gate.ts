import type { z } from 'zod';
import { gateNames, type GateDecision } from '../../../contracts/gates';
import type { Gate } from '../gate';

/** zod schemas that structured answers are validated against, registered on the worker by name. */
export type OutputSchemaRegistry = Readonly<Record<string, z.ZodType>>;

// Deterministic repairs for the usual ways a model breaks JSON, tried in order, at most
// `maxRepairs` of them: no model call, so the gate stays cheap and replay-safe.
const repairs: readonly ((text: string) => string)[] = [
  (text) => text.replace(/^[\s\S]*?```(?:json)?\s*([\s\S]*?)```[\s\S]*$/, '$1').trim(),
  (text) => {
    const start = text.search(/[{[]/);
    const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
    return start >= 0 && end > start ? text.slice(start, end + 1) : text;
  },
  (text) => text.replace(/[\u201C\u201D]/g, '"').replace(/[\u2018\u2019]/g, "'").replace(/,\s*([}\]])/g, '$1'),
];

type Attempt = { ok: true; value: unknown } | { ok: false; error: string };

function attempt(text: string, schema: z.ZodType): Attempt {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: `does not match the schema: ${parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')}` };
}

/** Validates a structured answer against a registered zod schema, with bounded deterministic repair. */
export class StructuredOutputGate implements Gate {
  readonly name = gateNames.schema;
  constructor(
    private readonly schemas: OutputSchemaRegistry,
    private readonly options: { schema: string; maxRepairs: number; action: 'block' | 'review' },
  ) {}

  check(text: string): GateDecision {
    const schema = this.schemas[this.options.schema];
    // A config naming a schema the worker lacks is a gate failure; the failure policy decides.
    if (!schema) throw new Error(`no output schema registered as "${this.options.schema}"`);
    let candidate = text.trim();
    let result = attempt(candidate, schema);
    let repaired = 0;
    for (const repair of repairs) {
      if (result.ok || repaired >= this.options.maxRepairs) break;
      const next = repair(candidate);
      if (next === candidate) continue;
      candidate = next;
      repaired += 1;
      result = attempt(candidate, schema);
    }
    if (!result.ok) return { gate: this.name, action: this.options.action, reasons: [`structured output ${result.error}`], scores: { valid: 0, repairs: repaired }, unchecked: false };
    const normalised = JSON.stringify(result.value);
    return {
      gate: this.name, action: 'allow', reasons: repaired > 0 ? [`repaired in ${repaired} step(s)`] : [], scores: { valid: 1, repairs: repaired },
      ...(repaired > 0 ? { redactedText: normalised } : {}), unchecked: false,
    };
  }
}
