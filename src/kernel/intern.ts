/**
 * Where `intern` files a string for a moment: a dictionary (null prototype, no hidden classes),
 * whose keys V8 keeps internalized, once each.
 */
const NAMES: Record<string, 0> = Object.create(null) as Record<string, 0>;

/**
 * Identity strings kept for as long as a user is registered (AOR, contact, instance id, Call-ID)
 * arrive as slices of a message's header text, which keep the whole text alive, or as ropes of
 * concatenations, and each element that keeps one keeps a copy of its own. Interned, every keeper
 * of a value shares one flat string: V8 internalizes a string used as a dictionary key (in its
 * string table, which lets go of unused ones) and turns the string itself into a reference to
 * the internalized one, which the garbage collector then puts in its place. For state kept across
 * messages only: the hop path never interns.
 */
export function intern(text: string): string {
  NAMES[text] = 0;
  delete NAMES[text];
  return text;
}

/**
 * `text` as one flat string. V8 builds a concatenation of 13 characters or more as a rope (a tree
 * of the parts), and hashing it as a Map key does not flatten it: a transaction key kept for
 * Timer J held five rope nodes and the parts, about 170 bytes, where the flat string takes 75.
 * Reading a character flattens the rope in place, and the collector then drops the rope node
 * for the flat string. For strings made on the hop path and kept beyond it (transaction keys,
 * branches); unlike `intern`, it costs one copy and no table.
 */
export function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}
