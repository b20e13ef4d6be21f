/**
 * RFC 3841 caller preferences as the core applies them to a registered contact's feature
 * parameters (src/cpm/core/caller-preferences.ts): Reject-Contact drops a contact that matches any
 * of its sets (6.2.3); an Accept-Contact set marked `require` drops one that does not match it
 * (6.2.4), and one without `require` only ranks, which the core does not do.
 */
import { describe, expect, it } from 'vitest';
import { eligible } from '../../../src/cpm/core/caller-preferences.js';
import type { Header } from '../../../src/sip/message.js';
import { parseHeaderParams } from '../../../src/sip/params.js';
import { message } from '../../sip/transactions/sip-net.js';

/** A MESSAGE to bob carrying these caller-preferences lines. */
function request(...lines: [name: 'Accept-Contact' | 'Reject-Contact', value: string][]) {
  const req = message();
  req.headers = [...req.headers, ...lines.map(([name, value]): Header => ({ name, value }))];
  return req;
}

/** A registered Contact's parameters, as written after its URI (RFC 3840 9). */
const contact = (params: string) => parseHeaderParams(params);

const B2 = contact(';+g.oma.sip-im;+sip.instance="<urn:uuid:b2>";expires=600');
const B3 = contact(';+g.oma.sip-im;+sip.instance="<urn:uuid:b3>";expires=600');

describe('eligible (RFC 3841)', () => {
  it('takes every contact when the request states no preference', () => {
    expect(eligible(request(), B2)).toBe(true);
  });

  it("drops the contact a Reject-Contact set matches, and only that one (Figure 7: apart from CPM Client B3)", () => {
    const req = request(['Reject-Contact', '*;+sip.instance="<urn:uuid:b3>"']);
    expect(eligible(req, B3)).toBe(false);
    expect(eligible(req, B2)).toBe(true);
  });

  it('reads each comma-separated set of a line, and each line, as a set of its own', () => {
    const oneLine = request(['Reject-Contact', '*;+sip.instance="<urn:uuid:b9>", *;+sip.instance="<urn:uuid:b3>"']);
    expect(eligible(oneLine, B3)).toBe(false);
    expect(eligible(oneLine, B2)).toBe(true);
    const twoLines = request(['Reject-Contact', '*;+sip.instance="<urn:uuid:b9>"'], ['Reject-Contact', '*;+sip.instance="<urn:uuid:b2>"']);
    expect(eligible(twoLines, B2)).toBe(false);
    expect(eligible(twoLines, B3)).toBe(true);
  });

  it('keeps only the contacts matching an Accept-Contact set marked require', () => {
    const req = request(['Accept-Contact', '*;+sip.instance="<urn:uuid:b2>";require']);
    expect(eligible(req, B2)).toBe(true);
    expect(eligible(req, B3)).toBe(false);
    // `require` in any case (RFC 3261 7.3.1: parameter names are case-insensitive).
    expect(eligible(request(['Accept-Contact', '*;+sip.instance="<urn:uuid:b2>";REQUIRE']), B3)).toBe(false);
  });

  it('drops nothing for an Accept-Contact set without require: it only ranks (6.2.4)', () => {
    expect(eligible(request(['Accept-Contact', '*;+sip.instance="<urn:uuid:b2>"']), B3)).toBe(true);
  });

  it('does not count require and explicit as features a contact must have', () => {
    // B2 has no `explicit` or `require` parameter of its own, and still matches.
    expect(eligible(request(['Accept-Contact', '*;+g.oma.sip-im;require;explicit']), B2)).toBe(true);
    expect(eligible(request(['Accept-Contact', '*;+g.oma.sip-im;explicit;require']), contact(';expires=600'))).toBe(false);
  });

  it('counts a base feature tag without a plus (RFC 3840 10: audio, methods) as a feature', () => {
    const req = request(['Accept-Contact', '*;audio;require']);
    expect(eligible(req, contact(';audio;+g.oma.sip-im'))).toBe(true);
    expect(eligible(req, contact(';+g.oma.sip-im'))).toBe(false);
    expect(eligible(request(['Reject-Contact', '*;video']), contact(';audio;video'))).toBe(false);
    expect(eligible(request(['Reject-Contact', '*;video']), contact(';audio'))).toBe(true);
  });

  it('matches a flag feature by its presence, and a feature name in any case (RFC 3840 9)', () => {
    expect(eligible(request(['Accept-Contact', '*;+g.oma.sip-im;require']), B2)).toBe(true);
    expect(eligible(request(['Accept-Contact', '*;+G.OMA.SIP-IM;require']), B2)).toBe(true);
    expect(eligible(request(['Accept-Contact', '*;+g.3gpp.icsi-ref;require']), B2)).toBe(false);
  });

  it('reads a flag as the boolean TRUE, written out or not (RFC 3840 9)', () => {
    const req = request(['Accept-Contact', '*;audio;require']);
    expect(eligible(req, contact(';audio="TRUE"'))).toBe(true);
    expect(eligible(req, contact(';audio="FALSE"'))).toBe(false);
    expect(eligible(request(['Accept-Contact', '*;audio="TRUE";require']), contact(';audio'))).toBe(true);
  });

  it('asks for every value a set lists, in any order, and a token value in any case', () => {
    const req = request(['Accept-Contact', '*;methods="MESSAGE,INVITE";require']);
    expect(eligible(req, contact(';methods="INVITE,BYE,message"'))).toBe(true);
    expect(eligible(req, contact(';methods="MESSAGE"'))).toBe(false);
    expect(eligible(req, contact(';methods="INVITE"'))).toBe(false);
    // A value list with blanks around its commas reads as the same set.
    expect(eligible(req, contact(';methods="INVITE , MESSAGE"'))).toBe(true);
  });

  it('needs every feature of a set: a contact with some of them does not match it', () => {
    const req = request(['Reject-Contact', '*;+g.oma.sip-im;+sip.instance="<urn:uuid:b3>"']);
    expect(eligible(req, B3)).toBe(false);
    expect(eligible(req, contact(';+sip.instance="<urn:uuid:b3>"'))).toBe(true);
    expect(eligible(req, contact(';+g.oma.sip-im'))).toBe(true);
  });

  it('reads a set whose * has blanks around it', () => {
    expect(eligible(request(['Reject-Contact', ' *  ;+sip.instance="<urn:uuid:b3>"']), B3)).toBe(false);
  });

  it('strips only the leading `*` rule-spec, so a `*` inside a string-value is still matched (RFC 3840 9)', () => {
    const star = contact(';+sip.instance="<urn:x:a*b>"');
    expect(eligible(request(['Reject-Contact', '*;+sip.instance="<urn:x:a*b>"']), star)).toBe(false);
  });
});
