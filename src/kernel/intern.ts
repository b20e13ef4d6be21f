/**
 * Identity strings kept for as long as a user is registered (AOR, contact, instance id, Call-ID)
 * arrive as slices of a message's header text, which keep the whole text alive, or as ropes of
 * concatenations, and each element that keeps one keeps a copy of its own. Interned, every keeper
 * of a value shares one flat string. For state kept across messages only: the hop path never
 * interns.
 */
export function intern(text: string): string {
  // V8 keeps property names flat and once each (its string table, which lets go of unused ones).
  for (const name in { [text]: 0 }) return name;
  return text;
}

