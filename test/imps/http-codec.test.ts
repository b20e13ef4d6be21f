import { describe, expect, it } from 'vitest';
import { ImpsParseError, parseImps, serializeImps } from '../../src/imps/http-codec.js';
import type { ImpsMessage } from '../../src/imps/message.js';

const request: ImpsMessage = {
  protocol: 'imps',
  type: 'imps-request',
  client: 'iwf-imps.a.example',
  host: 'imps.imps.example',
  path: '/wv-csp',
  csp: { sessionId: 's1', mode: 'Request', transactionId: '1', primitive: { name: 'MessageDelivered', messageId: 'm1' } },
};
const response: ImpsMessage = {
  protocol: 'imps',
  type: 'imps-response',
  client: 'iwf-imps.a.example',
  status: 200,
  reason: 'OK',
  csp: { sessionId: 's1', mode: 'Response', transactionId: '1', primitive: { name: 'Status', result: { code: 200 } } },
};

describe('WV-CSP over HTTP/1.1', () => {
  it('round-trips a POST and its response', () => {
    expect(parseImps(serializeImps(request), request.client)).toEqual(request);
    expect(parseImps(serializeImps(response), response.client)).toEqual(response);
  });

  it('sends the XML body as application/vnd.wv.csp.xml with its length in octets', () => {
    const text = serializeImps(request);
    expect(text.startsWith('POST /wv-csp HTTP/1.1\r\nHost: imps.imps.example\r\nContent-Type: application/vnd.wv.csp.xml\r\n')).toBe(true);
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    expect(text).toContain(`Content-Length: ${Buffer.byteLength(body)}\r\n`);
  });

  it('refuses a wrong length, another media type, or a malformed CSP body', () => {
    const text = serializeImps(response);
    expect(() => parseImps(text.replace(/Content-Length: \d+/, 'Content-Length: 3'), 'x')).toThrow(ImpsParseError);
    expect(() => parseImps(text.replace('application/vnd.wv.csp.xml', 'text/xml'), 'x')).toThrow(/vnd.wv.csp.xml/);
    const broken = text.replace('<Code>200</Code>', '<Code>200</Cod>');
    expect(() => parseImps(broken.replace(/Content-Length: \d+/, `Content-Length: ${Buffer.byteLength(broken.slice(broken.indexOf('\r\n\r\n') + 4))}`), 'x')).toThrow(ImpsParseError);
  });
});
