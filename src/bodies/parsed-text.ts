/**
 * `parse` with its results kept by the text they came from, for values that recur from message to
 * message (a Route, a user's preference document). Bounded: past `max` distinct texts the cache
 * starts again, so distinct values cannot grow it. A text that does not parse throws each time
 * and is never kept. The results are shared by every caller, who must not change them.
 */
export function parsedByText<T>(parse: (text: string) => T, max: number): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let parsed = cache.get(text);
    if (parsed === undefined) {
      parsed = parse(text);
      if (cache.size >= max) cache.clear();
      cache.set(text, parsed);
    }
    return parsed;
  };
}
