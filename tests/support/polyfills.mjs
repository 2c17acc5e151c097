// Node 20 lacks Map.groupBy, which vitest's reporter calls when it prints failures; without
// this, a failing test shows a TypeError from the reporter instead of its own error.
if (typeof Map.groupBy !== 'function') {
  Map.groupBy = function groupBy(items, key) {
    const map = new Map();
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      if (!map.has(k)) map.set(k, []);
      map.get(k).push(item);
    }
    return map;
  };
}
