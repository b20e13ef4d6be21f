/** The `lifelines:` section: the figure's columns and the network nodes each stands for. */
import { ScenarioError } from './errors.js';
import { REST_OF, type Directory } from './refs.js';
import type { LifelineSpec } from './spec.js';
import type { Value } from './yaml-reader.js';

/**
 * Reads the lifelines. A `*@domain` ref that another lifeline's host falls in overlaps it: that
 * host is drawn at its own lifeline (an exact ref wins), which a reader of `*@domain` would not
 * guess, so it is a warning unless written as `rest of domain`.
 */
export function readLifelines(value: Value, directory: Directory, warnings: ScenarioError[] = []): LifelineSpec[] {
  // A node seen by two columns would make the figure ambiguous, so each ref has one owner.
  const owners = new Map<string, string>();
  const wildcards: { name: string; domain: string; item: Value }[] = [];
  const lifelines = value.map().entries.map(({ name, value: refsValue }) => {
    const items = refsValue.oneOrMany();
    if (items.length === 0) refsValue.fail('a lifeline needs at least one ref');
    const refs = items.map((item) => {
      const ref = directory.lifelineRef(item);
      const owner = owners.get(ref);
      if (owner !== undefined) item.fail(`${ref} already belongs to lifeline '${owner}'`);
      owners.set(ref, name);
      if (ref.startsWith('*@') && !item.string().startsWith(REST_OF)) wildcards.push({ name, domain: ref.slice(2), item });
      return ref;
    });
    return { name, refs, path: refsValue.path };
  });
  for (const { name, domain, item } of wildcards) {
    const inside = [...owners].filter(([ref, owner]) => owner !== name && directory.hostDomain(ref) === domain);
    if (inside.length === 0) continue;
    const named = inside.map(([ref, owner]) => `${ref} (lifeline '${owner}')`).join(', ');
    const { file, line, col } = item.source.locate(item.path);
    warnings.push(new ScenarioError(file, line, col, `lifeline '${name}': *@${domain} overlaps ${named}, drawn at their own lifelines; write 'rest of ${domain}' if that is meant`));
  }
  return lifelines;
}
