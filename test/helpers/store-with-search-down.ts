import type { VectorStore } from '../../activities/retrieval/vector-store';

/** A store whose searches fail as if it were down (retried), so a run waits before its model call. */
export function storeWithSearchDown(store: VectorStore): VectorStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === 'search') {
        return async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      }
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
