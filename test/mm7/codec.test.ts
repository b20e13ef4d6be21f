import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { MM7_NS, MM7_PATH, serializeMm7 } from '../../src/mm7/codec.js';
import { mm7ToTel, telToMm7, type Mm7Request, type Mm7Response } from '../../src/mm7/message.js';

const submit: Mm7Request = {
  protocol: 'mm7',
  type: 'mm7-request',
  client: 'iwf-mms.a.example',
  host: 'mmsc.a.example',
  transactionId: 't1',
  operation: {
    kind: 'SubmitReq',
    vaspId: 'cpm',
    sender: '+15551230001',
    recipient: '+15559870002',
    deliveryReport: true,
    subject: 'A & B',
    content: { contentType: 'image/png', text: 'PNG' },
  },
};

const submitRsp: Mm7Response = {
  protocol: 'mm7',
  type: 'mm7-response',
  client: 'iwf-mms.a.example',
  status: 200,
  transactionId: 't1',
  operation: { kind: 'SubmitRsp', statusCode: 1000, statusText: 'Success', messageId: 'm1' },
};

describe('MM7 over HTTP (3GPP TS 23.140 8.7)', () => {
  it('posts a SubmitReq as multipart/related, the envelope first and the content an attachment', () => {
    const wire = serializeMm7(submit);
    const head = wire.slice(0, wire.indexOf('\r\n\r\n'));
    const body = wire.slice(head.length + 4);
    expect(head.split('\r\n')[0]).toBe(`POST ${MM7_PATH} HTTP/1.1`);
    expect(head).toContain('Host: mmsc.a.example');
    expect(head).toContain('SOAPAction: ""');
    expect(head).toMatch(/Content-Type: multipart\/related; boundary="[^"]+"; type="text\/xml"/);
    const length = Number(/Content-Length: (\d+)/.exec(head)![1]);
    expect(Buffer.byteLength(body, 'utf8')).toBe(length);
    expect(body.indexOf('<env:Envelope')).toBeLessThan(body.indexOf('Content-Type: image/png'));
    expect(wire).toContain('<Content href="cid:mm7-content"/>');
  });

  it('names the transaction in a mustUnderstand header and escapes text (SOAP 1.1)', () => {
    const wire = serializeMm7(submit);
    expect(wire).toContain(`<mm7:TransactionID xmlns:mm7="${MM7_NS}" env:mustUnderstand="1">t1</mm7:TransactionID>`);
    expect(wire).toContain('<Subject>A &amp; B</Subject>');
    expect(wire).toContain('<Recipients><To><Number>+15559870002</Number></To></Recipients>');
  });

  it('answers with HTTP 200 and the operation status in a text/xml body', () => {
    const wire = serializeMm7(submitRsp);
    expect(wire.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(wire).toContain('Content-Type: text/xml; charset="utf-8"');
    expect(wire).toContain('<Status><StatusCode>1000</StatusCode><StatusText>Success</StatusText></Status><MessageID>m1</MessageID>');
  });

  it('maps numbers between tel URIs and MM7 Number elements', () => {
    expect(telToMm7('tel:+15559870002')).toBe('+15559870002');
    expect(mm7ToTel('+15559870002')).toBe('tel:+15559870002');
  });
});
