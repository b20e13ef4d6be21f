/**
 * What an element keeps on disk: it survives a crash and restart that lose everything in memory.
 * Few elements need any: provisioning is replayed on restart anyway (see Rebootable); this is for
 * what an element accepted responsibility for at run time, as an MTA its mail queue (RFC 5321
 * 6.1: it must not lose a message because the host later crashes).
 */
export class StableStorage {
  /** Made at the first use: every element has a disk, and a population of devices keeps nothing on it. */
  private kept: Map<string, unknown> | undefined;

  /** The object kept under `name`, made by `make` the first time. */
  keep<T>(name: string, make: () => T): T {
    const kept = (this.kept ??= new Map());
    if (!kept.has(name)) kept.set(name, make());
    return kept.get(name) as T;
  }
}
