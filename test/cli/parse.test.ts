import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const vectors = fileURLToPath(new URL('../vectors/', import.meta.url));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), color: false, columns: 120, cwd: vectors });
  return { code, out, err };
}

/**
 * Where `cpmsim parse` places the error of each malformed vector (RFC 4475 3.1.2, 3.3, RFC 5118
 * 4.2): the line and column of the value at fault, checked against the files by hand.
 */
const INVALID: Record<string, string> = {
  'rfc4475/badinv01.dat': '7:6', // Via with an empty parameter
  'rfc4475/clerr.dat': '10:17', // Content-Length larger than the body
  'rfc4475/ncl.dat': '10:17',
  'rfc4475/scalar02.dat': '5:7',
  'rfc4475/scalarlg.dat': '5:7',
  'rfc4475/quotbal.dat': '2:5',
  'rfc4475/ltgtruri.dat': '1:1',
  'rfc4475/lwsruri.dat': '1:1',
  'rfc4475/lwsstart.dat': '1:1',
  'rfc4475/trws.dat': '1:1',
  'rfc4475/escruri.dat': '1:1',
  'rfc4475/regbadct.dat': '8:10',
  'rfc4475/badaspec.dat': '5:5',
  'rfc4475/badvers.dat': '1:1',
  'rfc4475/mismatch01.dat': '6:7',
  'rfc4475/mismatch02.dat': '6:7',
  'rfc4475/bigcode.dat': '1:1',
  'rfc4475/insuf.dat': '6:1', // no To, From, Call-ID: the end of the headers
  'rfc4475/multi01.dat': '11:1', // a second To
  'rfc4475/mcl01.dat': '9:1', // a second Content-Length
  'rfc5118/ipv6-bad': '1:1',
};

/** Vectors the test does not judge through the CLI, each with the reason. */
const SKIPPED: Record<string, string> = {
  'rfc4475/test.dat': 'not used by any section of RFC 4475',
  'rfc4475/baddn.dat': 'the archived file lacks the empty line ending its headers (test/sip/parser.vectors.test.ts repairs it)',
  'rfc4475/baddate.dat': 'a non-GMT Date is tolerated: no CPM element reads Date',
  'rfc5118/ipv6-in-sdp': "the vector's Content-Length (268) exceeds its body, a defect of the archive",
  'rfc5118/ipv6-bug-abnf-3-colons': 'the archived file lacks the empty line ending its headers',
  'rfc5118/ipv6-correct-abnf-2-colons': 'the archived file lacks the empty line ending its headers',
};

const files = ['rfc4475', 'rfc5118'].flatMap((dir) => readdirSync(`${vectors}${dir}`).map((name) => `${dir}/${name}`)).sort();

describe('cpmsim parse over the RFC 4475 and RFC 5118 corpora', () => {
  it.each(files.filter((f) => SKIPPED[f] === undefined))('%s', async (file) => {
    // RFC 5118's archive has LF line ends: --crlf makes them wire octets.
    const r = await cli(['parse', file, ...(file.startsWith('rfc5118/') ? ['--crlf'] : [])]);
    const where = INVALID[file];
    if (where === undefined) {
      expect([r.code, r.err]).toEqual([0, '']);
      expect(r.out).toMatch(/^(request|response): /);
    } else {
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`^${file.replace('.', '\\.')}:${where}: \\S.*\\n$`));
    }
  });

  it.each(Object.entries(SKIPPED))('%s is skipped: %s', (file, reason) => {
    expect(files).toContain(file);
    expect(reason).not.toBe('');
  });

  it('a missing file is bad input', async () => {
    expect(await cli(['parse', 'nowhere.dat'])).toMatchObject({ code: 2, err: 'cpmsim: nowhere.dat: no such file\n' });
  });
});
