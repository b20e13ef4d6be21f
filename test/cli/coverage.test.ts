import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, root } from './run-cli.js';

const fig16 = join(root, 'scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml');

describe('cpmsim coverage', () => {
  it('prints per section covered / total, the uncovered statements, and the share', async () => {
    const r = await cli(['coverage', fig16]);
    expect(r.code).toBe(0);
    // Figure 16 declares 5.2.2.1-1..3; the tests declare 5.2.2.1-9 (test/cpm/interworking/isf.test.ts).
    expect(r.out).toMatch(/^5\.2\.2\.1 +4\/9 +Instant Message Delivery$/m);
    expect(r.out).toContain('5.2.2.1-4 SHALL: the CPM Controlling Function hosting the CPM Pre-defined Group SHALL authorize');
    expect(r.out).toMatch(/^5\.3\.1\.2\.4 +1\/3 +CPM Message replying to a message from a non-CPM User {2}\(\+1 FFS\)$/m);
    expect(r.out).toMatch(/^\d+ of \d+ normative statements covered \(\d+%\); 3 left FFS by the draft, not counted$/m);
  });

  it('counts the bundled scenarios and the tests, as the docs quote it', async () => {
    const r = await cli(['coverage', '--no-uncovered']);
    const share = /^(\d+ of \d+ normative statements covered \(\d+%\))/m.exec(r.out)?.[1];
    expect(share).toBeDefined();
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(share!);
  });

  it('refuses an id that is not in the list, and one that is not an id at all (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpmsim-covers-'));
    const unknown = join(dir, 'unknown.yaml');
    writeFileSync(unknown, readFileSync(fig16, 'utf8').replace(/^covers: .*$/m, 'covers: [5.9.9-1]'));
    let r = await cli(['coverage', unknown]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown\.yaml: covers 5\.9\.9-1, which is not a statement of spec\/normative\.json/);
    const malformed = join(dir, 'malformed.yaml');
    writeFileSync(malformed, readFileSync(fig16, 'utf8').replace(/^covers: .*$/m, 'covers: [SHALL]'));
    r = await cli(['validate', malformed]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/malformed\.yaml:\d+:\d+: covers\[0\]: 'SHALL' is not a normative statement id/);
  });
});
