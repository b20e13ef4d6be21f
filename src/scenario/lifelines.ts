/** The `lifelines:` section: the figure's columns and the network nodes each stands for. */
import type { Directory } from './refs.js';
import type { LifelineSpec } from './spec.js';
import type { Value } from './yaml-reader.js';

export function readLifelines(value: Value, directory: Directory): LifelineSpec[] {
  // A node seen by two columns would make the figure ambiguous, so each ref has one owner.
  const owners = new Map<string, string>();
  return value.map().entries.map(({ name, value: refsValue }) => {
    const items = refsValue.oneOrMany();
    if (items.length === 0) refsValue.fail('a lifeline needs at least one ref');
    const refs = items.map((item) => {
      const ref = directory.lifelineRef(item);
      const owner = owners.get(ref);
      if (owner !== undefined) item.fail(`${ref} already belongs to lifeline '${owner}'`);
      owners.set(ref, name);
      return ref;
    });
    return { name, refs, path: refsValue.path };
  });
}
