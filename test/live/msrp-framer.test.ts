import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { MsrpFramer } from '../../src/live/msrp-framer.js';

const send = (id: string, content: string) => `MSRP ${id} SEND\r\nTo-Path: msrp://127.0.0.1:2855/a;tcp\r\nFrom-Path: msrp://127.0.0.1:2856/b;tcp\r\nContent-Type: text/plain\r\n\r\n${content}\r\n-------${id}$\r\n`;
const texts = (frames: ReturnType<MsrpFramer['push']>) => frames.map((f) => (f.kind === 'message' ? f.text : f.kind));

describe('MsrpFramer (RFC 4975 7.1: a message ends at its end-line)', () => {
  it('cuts two messages that arrive in one chunk at the end-line of each transaction id', () => {
    const framer = new MsrpFramer(10_000);
    expect(texts(framer.push(Buffer.from(send('abcd1', 'hello') + send('abcd2', 'world'))))).toEqual([send('abcd1', 'hello'), send('abcd2', 'world')]);
  });

  it('waits for the end-line and its flag split across chunks; an end-line of another transaction is content', () => {
    const framer = new MsrpFramer(10_000);
    const whole = Buffer.from(send('abcd1', 'quoting -------zzzz9$ is fine'));
    expect(framer.push(whole.subarray(0, whole.length - 3))).toEqual([]);
    expect(framer.push(whole.subarray(whole.length - 3, whole.length - 1))).toEqual([]);
    expect(texts(framer.push(whole.subarray(whole.length - 1)))).toEqual([whole.toString('utf8')]);
  });

  it('skips CRLFs between messages', () => {
    const framer = new MsrpFramer(10_000);
    expect(texts(framer.push(Buffer.from(`\r\n\r\n${send('abcd1', 'x')}\r\n`)))).toEqual([send('abcd1', 'x')]);
  });

  it('a stream that does not start with an MSRP start line cannot be framed, and yields nothing more', () => {
    const framer = new MsrpFramer(10_000);
    const frames = framer.push(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    expect(frames).toMatchObject([{ kind: 'unframeable', reason: 'the stream does not start with an MSRP start line (RFC 4975 9)' }]);
    expect(framer.push(Buffer.from(send('abcd1', 'x')))).toEqual([]);
  });

  it('a chunk over the bound is oversize, with its head to answer 413, before its end-line arrives', () => {
    const framer = new MsrpFramer(200);
    const frames = framer.push(Buffer.from(send('abcd1', 'y'.repeat(300)).slice(0, 250)));
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ kind: 'oversize', octets: 250 });
    expect(frames[0]!.kind === 'oversize' && frames[0]!.head.startsWith('MSRP abcd1 SEND\r\nTo-Path:')).toBe(true);
  });
});
