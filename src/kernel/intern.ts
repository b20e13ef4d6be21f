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
