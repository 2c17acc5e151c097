// The caches of compiled modules: a module is emitted and compiled once per shape, and kept
// while it is used.

/**
 * `make()`'s value for `key` in `cache`, made once and kept while used: the most recently used
 * are kept last, and past `max` entries the least recently used is dropped.
 */
export function recentlyUsed<T>(cache: Map<string, T>, key: string, max: number, make: () => T): T {
  let value = cache.get(key);
  if (value !== undefined) cache.delete(key);
  else {
    value = make();
    if (cache.size >= max) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, value);
  return value;
}

/**
 * The cache key of a pair of objects (a module's inputs), made by `make` once per pair and
 * kept as long as both objects live: the key is a long text, and a step or a run asks for it
 * every time.
 */
export function pairKey<A extends object, B extends object>(keys: WeakMap<A, WeakMap<B, string>>, a: A, b: B, make: () => string): string {
  let byB = keys.get(a);
  if (!byB) keys.set(a, (byB = new WeakMap()));
  let key = byB.get(b);
  if (key === undefined) byB.set(b, (key = make()));
  return key;
}
