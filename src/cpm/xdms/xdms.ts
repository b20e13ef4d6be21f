import { createHash } from 'node:crypto';
import { intern } from '../../kernel/intern.js';
import type { NetNode } from '../../net/node.js';
import type { XcapRequest, XcapResponse } from '../../xcap/message.js';
import { isSip, protocolOf, type WirePayload } from '../../wire/payload.js';
import type { ActorContext } from '../actor.js';
import { xdmsHost } from '../naming.js';
import { parsedByText } from '../../bodies/parsed-text.js';
import type { UserPreferences } from '../preferences.js';
import type { PredefinedGroup } from '../conversation-server/controlling-function.js';
import { encodeGroup, GROUP_TYPE, groupPath } from './group-document.js';
import { PREFERENCES_TYPE, preferencesPath, preferencesText } from './preferences-document.js';

/** A document as served: its body and its entity tag (RFC 4825 7.11), made when it is stored. */
interface StoredDocument {
  readonly body: { readonly contentType: string; readonly text: string };
  readonly etag: string;
}

/**
 * Equal documents are one value with one entity tag: most users of a population keep the default
 * preferences, and a document of its own per user was a twelfth of an idle user's heap. Bounded,
 * so a population of distinct documents cannot grow it; a document is never changed in place.
 */
function storedAs(contentType: string): (text: string) => StoredDocument {
  return parsedByText((text) => ({ body: { contentType, text }, etag: createHash('sha256').update(text).digest('hex').slice(0, 16) }), 1024);
}

const storedPreferences = storedAs(PREFERENCES_TYPE);
const storedGroup = storedAs(GROUP_TYPE);

/**
 * The XDMS of one domain (CPM 5.4): it holds the users' preference documents and the Pre-defined
 * Groups' documents and serves them over XCAP (RFC 4825) to the operator's elements that read
 * them: the Conversation Server (preferences, its groups) and the Interworking Selection Function
 * (C.4.1.2 steps 3 and 7). It speaks no SIP.
 */
export class Xdms implements NetNode<WirePayload> {
  readonly host: string;
  /** The documents by their XCAP URI path. */
  private readonly documents = new Map<string, StoredDocument>();

  constructor(
    readonly domain: string,
    private readonly ctx: ActorContext,
  ) {
    this.host = xdmsHost(domain);
    ctx.net.attach(this);
  }

  /** Provisioning, as the user's client would write the document with an XCAP PUT. */
  provision(aor: string, preferences: UserPreferences): void {
    // The path is a rope of its parts: kept flat, once, for as long as the user is provisioned.
    this.documents.set(intern(preferencesPath(aor)), storedPreferences(preferencesText(preferences)));
  }

  /** Provisioning of a Pre-defined Group's document, as its owner would create it. */
  provisionGroup(group: PredefinedGroup): void {
    this.documents.set(groupPath(group.uri), storedGroup(encodeGroup(group)));
  }

  receive(payload: WirePayload, fromHost: string): void {
    if (isSip(payload) || payload.protocol !== 'xcap' || payload.type !== 'xcap-request') {
      return this.ctx.net.note(this.host, `ignored ${protocolOf(payload).toUpperCase()} from ${fromHost}`);
    }
    this.ctx.net.send(this.host, fromHost, this.answer(payload, fromHost));
  }

  /**
   * RFC 4825 7.3: a document by its XCAP URI, with its entity tag; 404 for no such document. Only
   * the operator's own elements (hosts of this domain) may read a user's preferences.
   */
  private answer(req: XcapRequest, fromHost: string): XcapResponse {
    const base = { protocol: 'xcap', type: 'xcap-response' } as const;
    if (this.ctx.net.domainOf(fromHost) !== this.domain) return { ...base, status: 403, reason: 'Forbidden' };
    const document = this.documents.get(req.path);
    if (document === undefined) return { ...base, status: 404, reason: 'Not Found' };
    return { ...base, status: 200, reason: 'OK', etag: document.etag, body: document.body };
  }
}
