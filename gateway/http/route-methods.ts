import type { FastifyInstance } from 'fastify';

// A request whose path exists under other methods (GET /v1/answers, which takes POST) is a 405 with
// `Allow`, not a 404 that tells the caller the path is wrong. Fastify's router answers neither; the
// not-found handler asks this record of the routes as registered.

/** A route path as Fastify writes it ("/v1/answers/:workflowId") as a pattern for one concrete path. */
const patternOf = (url: string): RegExp =>
  new RegExp(`^${url.split('/').map((part) => (part.startsWith(':') ? '[^/]+'
    : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`);

/** Records every route registered on `app` from now on; `methodsFor(path)` lists the methods that serve it. */
export function recordRouteMethods(app: FastifyInstance): { methodsFor(path: string): string[] } {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    routes.push({ pattern: patternOf(route.url), methods: methods.map(String) });
  });
  return {
    methodsFor(path: string): string[] {
      const bare = path.split('?')[0] ?? path;
      const methods = routes.filter(({ pattern }) => pattern.test(bare)).flatMap(({ methods: listed }) => listed);
      return [...new Set(methods)].sort();
    },
  };
}
