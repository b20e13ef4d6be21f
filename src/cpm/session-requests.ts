import type { ConferenceInfo } from '../bodies/conference-info.js';
import type { Dialog } from '../sip/dialog.js';
import type { SipRequest } from '../sip/message.js';
import { header } from '../sip/message.js';
import { parseNameAddr, type NameAddr } from '../sip/name-addr.js';
import { aorOf, getParam, isSipUri, parseUri } from '../sip/uri.js';
import { cpmSessionHeaders } from './service.js';

/** RFC 4575 3.1: the event package of the Participant Information. */
export const CONFERENCE_EVENT = 'conference';

/** RFC 5368 4: the Content-ID by which a multiple-REFER's Refer-To names its URI list. */
const URI_LIST_CID = 'cpm-participants@cpmsim';

/**
 * CPM 5.2.3.2.3 and 5.2.3.2.4 as a REFER to the focus within the session's dialog (RFC 4579
 * 5.5 and 5.11): Refer-To names the user to invite, or `;method=BYE` the Participant to release;
 * several users go in a URI list (RFC 5368). No implicit subscription to the outcome is asked
 * for (RFC 4488 Refer-Sub: false): the Participant Information tells who joined.
 */
export function referRequest(dialog: Dialog, kind: 'add' | 'remove', users: string[], contact: NameAddr): SipRequest {
  const target = (uri: string): string => (kind === 'add' ? uri : `${uri};method=BYE`);
  const single = users.length === 1 ? users[0] : undefined;
  const extra = [
    ...cpmSessionHeaders(),
    { name: 'Refer-To', value: single !== undefined ? `<${target(single)}>` : `<cid:${URI_LIST_CID}>` },
    { name: 'Refer-Sub', value: 'false' },
    { name: 'Supported', value: 'norefersub' },
    ...(single === undefined
      ? [
          { name: 'Require', value: 'multiple-refer' },
          { name: 'Content-Disposition', value: 'recipient-list' },
          { name: 'Content-ID', value: `<${URI_LIST_CID}>` },
        ]
      : []),
  ];
  return dialog.createRequest('REFER', {
    contact,
    extra,
    ...(single === undefined && {
      body: { kind: 'resource-lists', contentType: 'application/resource-lists+xml', list: { entries: users.map((uri) => ({ uri: target(uri) })) } },
    }),
  });
}

/** The users a REFER names (RFC 3515 Refer-To, or RFC 5368 URI list), with the method to use. */
export function referTargets(req: SipRequest): { aor: string; method: string }[] {
  const referTo = header(req, 'Refer-To');
  if (referTo === undefined) return [];
  const uris = referTo.includes('<cid:') && req.body?.kind === 'resource-lists' ? req.body.list.entries.map((e) => e.uri) : [parseNameAddr(referTo).uri];
  return uris.map((u) => {
    const uri = typeof u === 'string' ? parseUri(u) : u;
    const method = isSipUri(uri) ? getParam(uri.params, 'method') : undefined;
    return { aor: aorOf(uri), method: (typeof method === 'string' ? method : 'INVITE').toUpperCase() };
  });
}

/** A one-line account of a Participant Information document, for the trace's notes. */
export function participantChanges(info: ConferenceInfo): string {
  const users = info.users.map((u) => {
    const statuses = [...new Set(u.endpoints.map((e) => e.status ?? 'unknown'))];
    return `${u.entity.replace(/^sip:/, '')} ${statuses.join('/')}`;
  });
  return `${info.state} #${info.version}${users.length > 0 ? `: ${users.join(', ')}` : ''}`;
}
