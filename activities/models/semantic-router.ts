import type { ModelCatalog } from '../../contracts/model-catalog';
import type { Embedder } from '../retrieval/embedder';
import type { RouteChoice } from './routing';

const cosine = (a: readonly number[], b: readonly number[]): number => {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    dot += a[index]! * b[index]!;
    normA += a[index]! ** 2;
    normB += b[index]! ** 2;
  }
  return normA && normB ? dot / Math.sqrt(normA * normB) : 0;
};

/**
 * Semantic routing: a query goes to the route whose example queries it is most similar to
 * (cosine of embeddings), if that similarity clears the catalog's threshold; otherwise the
 * default route. Example embeddings are computed once per router.
 */
export class SemanticRouter {
  private examples: Promise<{ route: string; vector: number[] }[]> | undefined;
  constructor(private readonly catalog: ModelCatalog, private readonly embedder: Embedder) {}

  async choose(query: string): Promise<RouteChoice> {
    this.examples ??= this.embedExamples();
    const examples = await this.examples;
    if (examples.length === 0) return { route: 'default', strategy: 'default' };
    const [queryVector] = await this.embedder.embed([query]);
    let best = { route: 'default', similarity: -Infinity };
    for (const example of examples) {
      const similarity = cosine(queryVector!, example.vector);
      if (similarity > best.similarity) best = { route: example.route, similarity };
    }
    const similarity = Number(best.similarity.toFixed(4));
    return best.similarity >= this.catalog.semanticMinSimilarity ? { route: best.route, strategy: 'semantic', similarity } : { route: 'default', strategy: 'default', similarity };
  }

  private async embedExamples(): Promise<{ route: string; vector: number[] }[]> {
    const pairs = Object.entries(this.catalog.routes).flatMap(([route, definition]) => definition.examples.map((text) => ({ route, text })));
    if (pairs.length === 0) return [];
    const vectors = await this.embedder.embed(pairs.map((pair) => pair.text));
    return pairs.map((pair, index) => ({ route: pair.route, vector: vectors[index]! }));
  }
}
