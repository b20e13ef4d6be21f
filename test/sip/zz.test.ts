import fc from 'fast-check';
import { it } from 'vitest';
import { parseMessage } from '../../src/sip/parser.js';
import { serializeMessage } from '../../src/sip/serializer.js';
import { request } from './arbitraries.js';
it('x', () => {
  const t0 = Date.now();
  const r = fc.check(fc.property(request, (m) => { const p = parseMessage(serializeMessage(m)); return JSON.stringify(p) === JSON.stringify(m) || (console.log(serializeMessage(m)), false); }), { numRuns: 100, endOnFailure: true });
  console.log(Date.now() - t0, r.failed, r.counterexample && JSON.stringify(r.counterexample), r.errorInstance);
}, 60000);
