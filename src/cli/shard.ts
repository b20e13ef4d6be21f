/** `--shard i/n` (explore, test): the share of a list one CI job runs. */
import { UsageError } from './io.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(text: string | undefined): Shard {
  if (text === undefined) return { index: 1, count: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index < 1 || index > count) throw new UsageError(`--shard: expected i/n with 1 <= i <= n, like 2/4; got '${text}'`);
  return { index, count };
}

/** Items k with k mod n = i - 1: every item in exactly one shard, the shards about equal. */
export function inShard<T>(items: T[], shard: Shard): T[] {
  return items.filter((_, k) => k % shard.count === shard.index - 1);
}
