/**
 * What an element keeps on disk: it survives a crash and restart that lose everything in memory.
 * Few elements need any: provisioning is replayed on restart anyway (see Rebootable); this is for
 * what an element accepted responsibility for at run time, as an MTA its mail queue (RFC 5321
 * 6.1: it must not lose a message because the host later crashes).
 */
export class StableStorage {
  private readonly kept = new Map<string, unknown>();

  /** The object kept under `name`, made by `make` the first time. */
  keep<T>(name: string, make: () => T): T {
    if (!this.kept.has(name)) this.kept.set(name, make());
    return this.kept.get(name) as T;
  }
}
