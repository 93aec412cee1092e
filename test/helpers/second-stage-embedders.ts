import { join } from 'node:path';
import { useSentenceEmbedderForGates } from '../../activities/gates/text/second-stage';
import type { Embedder } from '../../activities/retrieval/embedder';
import { installedMiniLmFiles, OnnxEmbedder } from '../../activities/retrieval/onnx-embedder';

/**
 * A two-dimensional "embedding" for the gates' second-stage tests: [1, 0] for texts mentioning `marker`,
 * [0, 1] for anything else. Records what it embedded; `failing` makes every call throw.
 */
export class MarkerEmbedder implements Embedder {
  readonly dimensions = 2;
  readonly embedded: string[] = [];
  constructor(
    private readonly marker: string, readonly id = 'fake-embedder', readonly inProcess = true,
    private readonly failing = false,
  ) {}

  async embed(texts: readonly string[]): Promise<number[][]> {
    if (this.failing) throw new Error('model thread exited');
    this.embedded.push(...texts);
    return texts.map((text) => (text.includes(this.marker) ? [1, 0] : [0, 1]));
  }
}

const miniLm = installedMiniLmFiles(join(__dirname, '..', '..'));

/**
 * A describe block whose tests run with the installed MiniLM handed to the gates (useSentenceEmbedderForGates);
 * skipped when the model is not installed or SLUICE_SKIP_MODELS is set.
 */
export function describeWithSharedMiniLm(title: string, body: (embedder: () => OnnxEmbedder) => void): void {
  (miniLm && !process.env.SLUICE_SKIP_MODELS ? describe : describe.skip)(title, () => {
    let embedder: OnnxEmbedder | undefined;
    beforeAll(async () => {
      embedder = await OnnxEmbedder.load(miniLm!, { threads: 1 });
      useSentenceEmbedderForGates(embedder);
    }, 60_000);
    afterAll(async () => {
      useSentenceEmbedderForGates(undefined);
      await embedder?.close();
    });
    body(() => embedder!);
  });
}
