/**
 * Canonical spellings of registered header names. Names are case-insensitive (RFC 3261 7.3.5), so
 * the parser stores one spelling per header and `header(msg, name)` lookups need not care.
 */
const CANONICAL = [
  // RFC 3261 20
  'Accept', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Authentication-Info',
  'Authorization', 'Call-ID', 'Call-Info', 'Contact', 'Content-Disposition', 'Content-Encoding',
  'Content-Language', 'Content-Length', 'Content-Type', 'CSeq', 'Date', 'Error-Info', 'Expires',
  'From', 'In-Reply-To', 'Max-Forwards', 'MIME-Version', 'Min-Expires', 'Organization', 'Priority',
  'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'Record-Route', 'Reply-To',
  'Require', 'Retry-After', 'Route', 'Server', 'Subject', 'Supported', 'Timestamp', 'To',
  'Unsupported', 'User-Agent', 'Via', 'Warning', 'WWW-Authenticate',
  'RAck', 'RSeq', // RFC 3262
  'Event', 'Allow-Events', 'Subscription-State', // RFC 3265 / 6665
  'Refer-To', // RFC 3515
  'Referred-By', // RFC 3892
  'Refer-Sub', // RFC 4488
  'Accept-Contact', 'Reject-Contact', 'Request-Disposition', // RFC 3841
  'Session-Expires', 'Min-SE', // RFC 4028
  'Privacy', // RFC 3323
  'P-Asserted-Identity', 'P-Preferred-Identity', // RFC 3325
  'Path', // RFC 3327
  'Service-Route', // RFC 3608
  'P-Associated-URI', 'P-Called-Party-ID', 'P-Visited-Network-ID', 'P-Access-Network-Info',
  'P-Charging-Function-Addresses', 'P-Charging-Vector', // RFC 7315
  'Security-Client', 'Security-Server', 'Security-Verify', // RFC 3329
  'Reason', // RFC 3326
  'Replaces', // RFC 3891
  'SIP-ETag', 'SIP-If-Match', // RFC 3903
  'Identity', // RFC 8224
  'Target-Dialog', // RFC 4538
  'History-Info', // RFC 7044
  'Flow-Timer', // RFC 5626
  'P-Preferred-Service', 'P-Asserted-Service', // RFC 6050
  'Feature-Caps', // RFC 6809
  'User-to-User', // RFC 7433
  // OMA CPM Conversation Functions (and RCS): conversation and contribution identities
  'Conversation-ID', 'Contribution-ID', 'InReplyTo-Contribution-ID', 'Session-Replaces',
];

const BY_LOWER = new Map(CANONICAL.map((name) => [name.toLowerCase(), name]));

/** Compact forms: RFC 3261 7.3.3, 3265 (o u), 3515 (r), 3892 (b), 4028 (x), 8224 (y), 3841 (a j d). */
const COMPACT: Record<string, string> = {
  i: 'Call-ID', m: 'Contact', e: 'Content-Encoding', l: 'Content-Length', c: 'Content-Type',
  f: 'From', s: 'Subject', k: 'Supported', t: 'To', v: 'Via', o: 'Event', u: 'Allow-Events',
  r: 'Refer-To', b: 'Referred-By', x: 'Session-Expires', y: 'Identity', a: 'Accept-Contact',
  j: 'Reject-Contact', d: 'Request-Disposition',
};

/** The canonical long name for a compact form or a known header in any case; other names as given. */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? BY_LOWER.get(lower) ?? name;
}
