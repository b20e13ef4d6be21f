import { createRequest } from '../../sip/builders.js';
import type { SipRequest } from '../../sip/message.js';
import { nameAddrIn } from '../../sip/parsed-lines.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf, parseUri } from '../../sip/uri.js';
import { SipActor, type ActorContext } from '../actor.js';
import { conversationServerHost } from '../naming.js';

/** Where an application is and whose Application Control Function it uses. */
export interface ApplicationSettings {
  name: string;
  host: string;
  /** Its Value Added Service Provider's domain, the node's own. */
  domain: string;
  /** The CPM service provider whose Conversation Server it uses (CPM 5.8.1). */
  provider: string;
}

/** The address a provider gives an application: a public service identity its Conversation Server hosts. */
export const applicationUri = (name: string, provider: string): string => `sip:${name}@${provider}`;

/**
 * A value-added-service application (CPM 5.8.1): outside the operator's network, it uses CPM only
 * through the Application Control Function of the provider's Conversation Server, to which it sends
 * its requests (plain text: the function makes the CPM Message) and from which it receives events.
 */
export class VasApplication extends SipActor {
  readonly uri: string;
  private readonly acf: string;
  /** The address of the latest user that wrote to it, as it was shown (a pseudonym when masked). */
  private latestSender: string | undefined;

  constructor(
    private readonly settings: ApplicationSettings,
    ctx: ActorContext,
  ) {
    super(settings.host, settings.domain, ctx);
    this.uri = applicationUri(settings.name, settings.provider);
    this.acf = conversationServerHost(settings.provider);
  }

  /** Sends `text` to `to` as the application itself, or on behalf of a user. */
  send(to: string, text: string, onBehalfOf?: string): void {
    const from = onBehalfOf ?? this.uri;
    const req = createRequest({
      method: 'MESSAGE',
      uri: parseUri(to),
      from: { uri: parseUri(from), params: [{ name: 'tag', value: this.stack.newTag() }] },
      to: { uri: parseUri(to), params: [] },
      callId: this.stack.newCallId(),
      cseq: 1,
      body: { kind: 'text', contentType: 'text/plain;charset=UTF-8', text },
    });
    this.stack.request(req, this.acf, (res) => {
      if (res.status >= 300) this.note(`message failed: ${res.status}`);
    });
  }

  /** Answers the latest user that wrote to it. */
  reply(text: string): void {
    if (this.latestSender === undefined) return this.note('cannot reply: no message was received');
    this.send(this.latestSender, text);
  }

  protected onRequest(req: SipRequest, tx: ServerTransaction): void {
    if (req.method !== 'MESSAGE') return this.respond(tx, 405, { extra: [{ name: 'Allow', value: 'MESSAGE' }] });
    if (req.body?.kind !== 'text') return this.respond(tx, 415, { extra: [{ name: 'Accept', value: 'text/plain' }] });
    const from = nameAddrIn(req, 'From');
    if (from === undefined) return this.respond(tx, 400, { reason: 'Missing From' });
    this.respond(tx, 200);
    this.latestSender = aorOf(from.uri);
    this.note(`${this.settings.name} received from ${this.latestSender.replace(/^sip:/, '')}: ${req.body.text}`);
  }
}
