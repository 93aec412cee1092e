import { join } from 'node:path';

// Command-line arguments of the benches that read the RAG eval set: `[corpus.jsonl] [questions.jsonl]`
// positionally (default ../shared/eval/rag) and `--name value` options.

const evalDir = join(__dirname, '..', '..', '..', 'shared', 'eval', 'rag');

export interface RagEvalArgs {
  corpusPath: string;
  questionsPath: string;
  /** The value after `--name`, or undefined when it is not given. */
  option(name: string): string | undefined;
}

export function ragEvalArgs(args: readonly string[] = process.argv.slice(2)): RagEvalArgs {
  const positional = args.filter((arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--'));
  return {
    corpusPath: positional[0] ?? join(evalDir, 'corpus.jsonl'),
    questionsPath: positional[1] ?? join(evalDir, 'questions.jsonl'),
    option: (name) => {
      const index = args.indexOf(name);
      return index >= 0 ? args[index + 1] : undefined;
    },
  };
}
