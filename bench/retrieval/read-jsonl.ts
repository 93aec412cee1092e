import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** A corpus row: `{id, title, text}` (the shape of ../shared/eval/rag/corpus.jsonl). */
export const corpusRowSchema = z.object({ id: z.string(), title: z.string().optional(), text: z.string() });
/** A question row: `{id, question, gold_doc, …}` (the shape of ../shared/eval/rag/questions.jsonl). */
export const questionRowSchema = z.object({ id: z.string(), question: z.string(), gold_doc: z.string() });

/** Reads and validates a JSON-lines file; a bad row stops the benchmark with its line number. */
export function readJsonLines<Schema extends z.ZodType>(path: string, schema: Schema): z.infer<Schema>[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line)
    .map(({ line, number }) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${number}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}
