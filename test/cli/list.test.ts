import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, root } from './run-cli.js';

describe('cpmsim list', () => {
  it('lists every figure of Appendix C in figure order, then the other scenarios by section', async () => {
    const r = await cli(['list']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    const figures = lines.flatMap((l) => /^Figure (\d+) /.exec(l)?.[1] ?? []).map(Number);
    expect(figures).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
    expect(lines[0]).toMatch(/^Figure 1 {3}C\.1\.1 +CPM Client Registering +scenarios\/appendix-c\/c-1-1-client-registering\.yaml$/);
    expect(lines.at(-1)).toMatch(/^\d+ scenario\(s\), 27 of them figures of Appendix C$/);
    const sections = lines.slice(27, -1).map((l) => l.trim().split(/\s+/)[0]!);
    expect(sections).toEqual([...sections].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
  });

  it('exits 2 naming the file of a scenario with an error', async () => {
    const r = await cli(['list', join(root, 'no-such-folder')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^cpmsim: .*no-such-folder/);
  });
});
