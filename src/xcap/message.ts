/**
 * XCAP (RFC 4825) as it travels: HTTP/1.1 requests and responses (RFC 9112) between the
 * Conversation Server, the Interworking Selection Function and the XDMS.
 */
export interface XcapRequest {
  protocol: 'xcap';
  type: 'xcap-request';
  method: 'GET';
  /** The XCAP server's host (the Host header) and the document's XCAP URI path. */
  host: string;
  path: string;
  /** Who asks, for the XDMS's access control (OMA XDM's X-XCAP-Asserted-Identity). */
  assertedIdentity: string;
}

export interface XcapResponse {
  protocol: 'xcap';
  type: 'xcap-response';
  status: number;
  reason: string;
  /** The document's entity tag (RFC 4825 7.11) and the document, when there is one. */
  etag?: string;
  body?: { contentType: string; text: string };
}

export type XcapMessage = XcapRequest | XcapResponse;
