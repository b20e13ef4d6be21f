import { Buffer } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Body } from '../bodies/body.js';
import { encodeBodyOctets } from '../bodies/codec.js';
import { encodeMultipartOctets } from '../bodies/multipart-codec.js';
import { serializeImps } from '../imps/http-codec.js';
import { serializeMsrp } from '../msrp/codec.js';
import { encodeRtp } from '../rtp/codec.js';
import { serializeMessageOctets } from '../sip/serializer.js';
import { encodePdu } from '../smpp/codec.js';
import { formatExchange } from '../smtp/exchange.js';
import type { TraceEvent } from '../trace/recorder.js';
import { isSip, type WirePayload } from '../wire/payload.js';
import { serializeXcap } from '../xcap/codec.js';
import { BOUNDARY, TARGETS } from './targets.js';

/** Wire messages to mutate, by target name. */
export type Corpus = Map<string, Buffer[]>;

function add(corpus: Corpus, target: string, octets: Buffer): void {
  const list = corpus.get(target) ?? [];
  if (!list.some((o) => o.equals(octets))) list.push(octets);
  corpus.set(target, list);
}

const mediaType = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

/** A body and every body inside it, each under the target that reads its media type. */
function addBody(corpus: Corpus, body: Body): void {
  if (body.kind === 'multipart') {
    add(corpus, 'multipart', encodeMultipartOctets(`multipart/mixed;boundary=${BOUNDARY}`, body.parts));
    for (const part of body.parts) addBody(corpus, part.content);
    return;
  }
  if (body.kind === 'cpim') addBody(corpus, body.cpim.content);
  const target = TARGETS.find((t) => t.contentType !== undefined && mediaType(t.contentType) === mediaType(body.contentType));
  if (target !== undefined && body.kind !== 'binary') add(corpus, target.name, encodeBodyOctets(body));
}

function addPayload(corpus: Corpus, p: WirePayload): void {
  if (isSip(p)) {
    const octets = serializeMessageOctets(p);
    add(corpus, 'sip', octets);
    add(corpus, 'sip-proxy', octets);
    if (p.body !== undefined && p.wire === undefined) addBody(corpus, p.body);
    return;
  }
  switch (p.protocol) {
    case 'msrp':
      add(corpus, 'msrp', Buffer.from(serializeMsrp(p), 'utf8'));
      if (p.type === 'msrp-request' && p.body !== undefined) addBody(corpus, p.body);
      return;
    case 'xcap':
      add(corpus, 'xcap', Buffer.from(serializeXcap(p), 'utf8'));
      if (p.type === 'xcap-response' && p.body !== undefined) addBody(corpus, { kind: 'text', contentType: p.body.contentType, text: p.body.text });
      return;
    case 'smpp':
      add(corpus, 'smpp', encodePdu(p));
      return;
    case 'imps':
      add(corpus, 'imps', Buffer.from(serializeImps(p), 'utf8'));
      return;
    case 'rtp':
      if (p.type === 'rtp') add(corpus, 'rtp', Buffer.from(encodeRtp(p)));
      return;
    case 'smtp': {
      const reading = p.role === 'server' ? 'smtp-replies' : 'content' in p ? 'smtp-content' : 'smtp-commands';
      add(corpus, reading, Buffer.from(formatExchange(p), 'utf8'));
    }
  }
}

/** Every message the runs' traces carry, and the bodies inside them. */
export function corpusOfTraces(traces: readonly (readonly TraceEvent[])[]): Corpus {
  const corpus: Corpus = new Map();
  for (const events of traces) for (const e of events) if (e.type === 'transmit') addPayload(corpus, e.payload);
  return corpus;
}

/**
 * Adds the SIP torture messages: RFC 4475 files as they are (CRLF), RFC 5118 files shipped with LF
 * line ends, which are wire bytes only once turned into CRLF.
 */
export function addVectors(corpus: Corpus, vectorsDir: string): void {
  for (const [dir, crlf] of [['rfc4475', false], ['rfc5118', true]] as const) {
    for (const name of readdirSync(join(vectorsDir, dir)).filter((n) => n.endsWith('.dat')).sort()) {
      const octets = readFileSync(join(vectorsDir, dir, name));
      const wire = crlf ? Buffer.from(octets.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1') : octets;
      add(corpus, 'sip', wire);
      add(corpus, 'sip-proxy', wire);
    }
  }
}
