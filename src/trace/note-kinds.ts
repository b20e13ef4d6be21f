/**
 * The kinds of note an entity writes that a scenario's action step may name (`action: deferred`).
 * A closed list, so `cpmsim validate` refuses a misspelt kind, and a kind matches a note's whole
 * text, so `action: e` cannot pass by finding a letter in some note. Each pattern mirrors the
 * wording of the entity that writes it (src/cpm/); test/trace/note-kinds.test.ts runs the bundled
 * scenarios to keep the two in step.
 */

export interface NoteKind {
  kind: string;
  /** Matches the whole text of a note of this kind. */
  pattern: RegExp;
  /** What the entity did, for `--help`-style listings and error hints. */
  what: string;
}

const ADDRESS = String.raw`\S+`;

function kind(name: string, source: string, what: string): NoteKind {
  return { kind: name, pattern: new RegExp(`^(?:${source})$`), what };
}

export const NOTE_KINDS: readonly NoteKind[] = [
  // Clients (src/cpm/client/).
  kind('registered', String.raw`registered \(\d+ other clients?\)`, 'a client registered'),
  kind('registration-failed', String.raw`registration failed: \d+`, 'a REGISTER was refused'),
  kind('de-registered', 'de-registered', 'a client de-registered'),
  kind('capabilities', String.raw`capabilities: [a-z, ]+`, 'a client changed the Media Stream Types it supports, and re-registers (CPM 5.1.1.1)'),
  kind('registered-clients', String.raw`registered clients: \d+`, 'a client learnt its registered clients (reg event)'),
  kind('shown', 'shown to the user', 'a client showed a message to its user'),
  kind('read', 'read by the user', 'the user read a message'),
  kind('notification', String.raw`(?:delivery|display|processing): \S+(?: \(.+\))?`, 'a client received a disposition notification'),
  kind('message-failed', String.raw`message failed: \d+`, 'a sent message was refused'),
  kind('injected', String.raw`injected [A-Z]+: \d+`, 'an injected request was answered'),
  kind('alerting', 'alerting', 'the invited party is alerted (180)'),
  kind('alerting-user', 'alerting the user', 'a client alerts its user to an invitation'),
  kind('accepted', 'accepted: .+', 'a client accepted an invitation'),
  kind('session-established', 'session established: .+', 'a session was established'),
  kind('invitation-refused', String.raw`invitation refused: \d+`, 'an invitation was refused'),
  kind('invitation-cancelled', 'invitation cancelled|the invitation was cancelled', 'an invitation was cancelled'),
  kind('left', 'left the session', 'a client left a session'),
  kind('released', 'released from the session', 'a client was released from a session'),
  kind('media', 'media: .+', 'the media streams of a session changed'),
  kind('participants', 'participants: .+', 'a client received participant information'),
  kind('reg-subscription-ended', `reg-event subscription for ${ADDRESS} terminated: .+`, 'a NOTIFY said the reg-event subscription is terminated, as when the registration it watched is gone (RFC 6665 4.1.3, 3GPP TS 24.229 5.4.2.1.2)'),
  kind('reg-subscription-refused', String.raw`reg-event (?:subscription|refresh) for ${ADDRESS} refused: \d+`, 'a reg-event SUBSCRIBE or its refresh was refused; the subscription is forgotten'),
  kind('participant-subscription-ended', String.raw`participant subscription terminated: .+`, 'a NOTIFY said the Participant Information subscription is terminated (RFC 6665 4.1.3)'),
  kind('participant-subscription-expired', `participant subscription of ${ADDRESS} expired`, 'the focus ended a Participant Information subscription not refreshed in time (RFC 6665 4.2.2)'),
  kind('session-message', 'session message: .*', 'a message arrived in a session'),
  kind('session-message-delivered', 'session message delivered', 'a success REPORT for a session message arrived (RFC 4975 7.1.2)'),
  kind('session-message-refused', String.raw`session message refused: \d+(?: .+)?`, 'a session message was answered with an MSRP error (RFC 4975 7.2)'),
  kind('session-message-not-delivered', 'session message not delivered: .+', 'a failure REPORT for a session message arrived (RFC 4975 7.1.2)'),
  kind('receiving-media', String.raw`receiving (?:audio|video): RTP payload type \d+(?:, mixed from \d+ contributing sources?)?`, 'a client began receiving a real-time stream (RFC 3550)'),
  kind('media-received', String.raw`(?:audio|video): \d+ RTP packets? received from \d+ sources?(?:, mixed from \d+ contributing sources? \(CSRC\))?`, 'what a real-time stream received by the end of the session'),
  kind('talks', String.raw`talks on \d+ streams?`, 'a client sends a talkspurt'),
  kind('cannot-act', String.raw`cannot \w+: .+`, 'a user action the device could not carry out'),
  kind('floor', String.raw`requests the floor|already waiting for the floor|floor granted|floor (?:released|denied|revoked|cancelled)|floor request queued at position \d+`, 'a client\'s floor control (BFCP, RFC 4582)'),
  // Conversation Server (src/cpm/conversation-server/).
  kind('deferred', String.raw`deferred \(\d+ held\)`, 'a message was deferred (CPM 5.2.1.3)'),
  kind('deferred-discarded', 'discarded on expiry', 'a deferred message expired'),
  kind('deferred-stored', 'moved to network storage', 'a deferred message moved to storage'),
  kind('deferred-extended', 'hold time extended', 'the hold time of a deferred message was extended'),
  kind('no-client-registered', `no client of ${ADDRESS} is registered`, 'no client of the recipient is registered'),
  kind('interwork-decided', `decides to interwork for ${ADDRESS}`, 'the Participating Function decided to interwork'),
  kind('interworking-needed', 'decides that interworking is needed', 'the recipient prefers interworking'),
  kind('interworks-by-policy', 'no (?:SIP/IP Core|CPM enabler) in the target network: interworks by policy', 'interworking by service provider policy'),
  kind('not-interworked', `${ADDRESS} is not an address interworking can use: returns the error`, 'the error goes back: the address is not valid for the non-CPM service (CPM 5.3.1.2.1 NOTE)'),
  kind('user-preferences', 'user preferences .+', "the user's XDMS preferences apply"),
  kind('not-eligible', 'not eligible: .+', 'clients left out of an invitation'),
  kind('no-client-supports', `no client of ${ADDRESS} supports .+`, 'no client of the invited user supports an offered Media Stream Type (CPM 5.2.3.2.1.3): 488'),
  kind('holds-back-alerting', 'holds back a second ALERTING', 'a second 180 is held back (C.2.1.2.3)'),
  kind('reports', String.raw`reports \S+ to the sender`, 'a notification is reported to the sender'),
  kind('withheld', String.raw`withheld \S+(?: for ${ADDRESS})? \(already reported\)`, 'a duplicate notification is withheld'),
  kind('aggregates', String.raw`aggregates \d+ delivery notification\(s\)`, 'group notifications are aggregated'),
  kind('authorized-copies', String.raw`authorized ${ADDRESS}: \d+ copies`, 'a pager message to a group was authorized'),
  kind('authorized-session', String.raw`authorized ${ADDRESS}: session ${ADDRESS}, inviting \d+`, 'a group session was authorized'),
  kind('refused-sender', 'refused .+: not a member of .+', 'a sender who is not a member was refused'),
  kind('refused-media', String.raw`refused an offer of [a-z, ]+: not allowed by the service provider's policy`, 'a session offer with a Media Stream Type the provider does not allow was refused 488 (CPM 5.2.3.8)'),
  kind('message-too-large', String.raw`refused a message of \d+ octets from ${ADDRESS}: the service provider's maximum is \d+`, 'a pager-mode message over the provider\'s maximum size was refused 413'),
  kind('session-message-too-large', String.raw`refused a session message of \d+ octets(?: from ${ADDRESS})?: the service provider's maximum is \d+`, 'an MSRP SEND over the provider\'s maximum size was refused 413 (RFC 4975 10.5)'),
  kind('modification-refused', String.raw`modification refused: \d+`, 'a session modification was refused; the session keeps its streams'),
  kind('group-policy-refuses', `group policy of ${ADDRESS} refuses ${ADDRESS}: .+`, "a request the group's policy does not allow was refused 403 (CPM 5.2.2.1, 5.2.3.2.3, 5.2.3.2.4)"),
  kind('adding-refused', String.raw`(?:adding|removing) refused: \d+`, 'a request to add or remove Participants was refused'),
  kind('joined', `${ADDRESS} joined: .+`, 'a participant joined'),
  kind('rejoined', `${ADDRESS} re-joined: .+`, 'a Participant re-joined by the CPM Session Identity (CPM 5.2.3.2.1.1)'),
  kind('rejoin-refused', `refused ${ADDRESS}: the group policy does not allow re-joining`, 'the group policy refuses a re-join'),
  kind('participant-left', `${ADDRESS} left`, 'a participant left'),
  kind('added-media', `${ADDRESS} added .+`, 'a participant added media'),
  kind('removed-media', `${ADDRESS} removed .+ from the session`, 'a Participant removed streams from all (CPM 5.2.3.8.2)'),
  kind('refused-new-streams', String.raw`${ADDRESS} refused the new streams: \d+`, 'a Participant refused the focus\'s modification'),
  kind('stops-forwarding', `stops forwarding .+ to ${ADDRESS}`, 'the focus stops forwarding streams after a failed modification (CPM 5.2.3.8.2)'),
  kind('invites', `invites ${ADDRESS}`, 'the focus invites a user'),
  // Session timers (RFC 4028), at clients and the focus.
  kind('interval-too-small', String.raw`session interval (?:of ${ADDRESS} )?too small: asks for \d+ s`, 'an invitation or a session refresh refused 422 is sent again with the Min-SE (RFC 4028 7.3, 7.4)'),
  kind('refresh-failed', String.raw`session refresh (?:of ${ADDRESS} )?failed: \d+`, 'a session refresh was refused or timed out (RFC 4028 10)'),
  kind('session-expired', `session (?:of ${ADDRESS} )?expired: no refresh`, 'no refresh came within the session interval: the session ends with BYE (RFC 4028 10)'),
  kind('releases', `releases ${ADDRESS}`, 'the focus releases a participant'),
  kind('release-failed', String.raw`release of ${ADDRESS} answered \d+`, "the focus's BYE releasing a Participant was refused or timed out"),
  kind('relays', String.raw`relays \S+ message to \d+`, 'the focus relays a session message'),
  kind('application-refused', String.raw`application control refuses \S+: .+`, 'the Application Control Function refused an application 403 (CPM 5.8.1)'),
  kind('application-relays', `application control relays a message of \\S+ as ${ADDRESS}`, "the Application Control Function relays an application's message as a CPM Message (CPM 5.8.1)"),
  kind('application-masks', `application control masks ${ADDRESS} as ${ADDRESS} for \\S+`, "the Application Control Function shows an application a pseudonym for the user (CPM 5.8.1)"),
  // Value-added-service applications (src/cpm/application/).
  kind('application-handover', String.raw`application control hands the message to \S+`, "a user's message to an application was taken by it (CPM 5.8.1)"),
  kind('application-received', String.raw`\S+ received from \S+: .*`, 'an application received a message from a user (an event, CPM 5.8.1)'),
  // Interworking (src/cpm/interworking/).
  kind('reads-preferences', String.raw`reads the interworking preferences of ${ADDRESS} \(XDMS\): .+`, 'the selection function read preferences'),
  kind('selects-iwf', `selects the (?:sms|email|mms|imps) Interworking Function for ${ADDRESS}`, 'an Interworking Function was selected'),
  kind('not-selected', 'not selected: .+', 'an interworking service was not selected'),
  kind('follows-service-id', 'follows the Non-CPM Communication Service Identifier (?:sms|email|mms|imps)', 'a reply goes to the service its identifier names (CPM 5.3.1.2.4)'),
  kind('service-id-not-followed', 'does not follow the Non-CPM Communication Service Identifier .+', 'the selection criteria do not allow the service a reply names (CPM 5.3.1.2.4)'),
  kind('ignores-service-id', String.raw`ignores the Non-CPM Communication Service Identifier \S+ by policy`, 'the provider ignores the service a reply names (CPM 5.3.1.2.4)'),
  kind('tries-next-service', String.raw`\S+ interworking failed \(\d+\); tries the next service`, 'interworking failed; the next service is tried'),
  kind('converts-to-sms', `converts the CPM Message to an SMS for ${ADDRESS}`, 'a CPM Message becomes an SMS'),
  kind('converts-to-mail', `converts the CPM Message to a mail for ${ADDRESS}`, 'a CPM Message becomes a mail'),
  kind('converts-from-sms', `converts the SMS from ${ADDRESS} to a CPM Message`, 'an SMS becomes a CPM Message'),
  kind('converts-from-mail', `converts the mail from ${ADDRESS}(?: to the list ${ADDRESS})? to a CPM Message`, 'a mail, or a mailing list\'s copy of one (from the list, CPM 5.1.2.5), becomes a CPM Message'),
  kind('converts-ack', 'converts the acknowledgement into 202 Accepted', 'an acknowledgement becomes 202 Accepted'),
  kind('imdn-from-receipt', String.raw`maps the delivery receipt to an IMDN \((?:delivered|failed)\)`, 'a delivery receipt becomes an IMDN'),
  kind('sms-delivered-unreported', `the SMS to ${ADDRESS} was delivered; no notification was asked for`, 'a delivery receipt for a sender who asked only for negative notifications'),
  kind('sms-failed-unreported', `the SMS to ${ADDRESS} failed; no notification was asked for`, 'a failure receipt for a sender who asked only for positive notifications'),
  kind('imdn-from-dsn', String.raw`maps the DSN to an IMDN \((?:delivered|failed)\)`, 'a DSN becomes an IMDN'),
  kind('mail-queued', 'answers 202 Accepted: the mail is queued for relay', 'the e-mail IWF answers before its relay did (RFC 3428 7)'),
  kind('mail-refused', String.raw`the mail relay refused the mail: \d+`, 'the mail relay refused a mail'),
  kind('mail-bounced', `bounces the undelivered mail to ${ADDRESS}`, 'a mail accepted with 202 and refused later is bounced to its sender (RFC 5321 6.1)'),
  kind('imdn-from-failure', String.raw`maps the relay failure to an IMDN \(failed\)`, 'a mail refused after its 202 becomes a negative IMDN'),
  kind('mail-requeued', `relays a queued mail for ${ADDRESS} again after a restart`, 'the e-mail IWF relays its queue after a restart'),
  kind('grants-floor', `grants the floor to ${ADDRESS}`, 'the focus grants the floor (BFCP)'),
  kind('drops-media', String.raw`drops (?:RTP|RTCP) .+`, 'the focus drops media of no Participant, or of one without the floor'),
  kind('no-submit-response', `no submit_sm_resp from the SMSC for the SMS to ${ADDRESS}`, 'the SMSC did not answer a submit_sm'),
  kind('no-delivery-receipt', `no delivery receipt from the SMSC for the SMS to ${ADDRESS}: reports it failed`, 'no delivery receipt came'),
  kind('link-broken', 'no enquire_link_resp from the SMSC: the link is broken', 'the SMSC did not answer an enquire_link (SMPP 3.4 4.11)'),
  kind('smsc-lost-session', 'the SMSC has no session for this function: it lost what it held', 'the SMSC answered an enquire_link with no session: it restarted'),
  kind('link-broke-submission', `the link to the SMSC broke for the SMS to ${ADDRESS}`, 'an SMS waiting for its submit_sm_resp when the link broke: 504'),
  kind('link-broke-receipt', `the link to the SMSC broke for the SMS to ${ADDRESS}: reports it failed`, 'an SMS waiting for its delivery receipt when the link broke'),
  kind('smsc-refused', `the SMSC refused the SMS to ${ADDRESS}: .+`, 'the SMSC refused an SMS'),
  kind('rebind-backoff', String.raw`no bind_transceiver_resp from the SMSC: binds again in \d+\.\d s`, 'an unanswered bind, the next one after a back-off (RFC 5626 4.5)'),
  kind('late-receipt', String.raw`late delivery receipt \((?:delivered|failed)\) for the SMS to ${ADDRESS} already reported failed: the failure notification stands`, 'the receipt of an SMS already reported failed came after all'),
  kind('imdn-from-late-receipt', String.raw`maps the late delivery receipt to an IMDN \(delivered\)`, 'a late receipt of an SMS whose failure was not told becomes its one delivery notification'),
  // MMS interworking (src/cpm/interworking/mms-iwf.ts).
  kind('converts-to-mms', `converts the CPM Message to an MMS for ${ADDRESS}`, 'a CPM Message becomes an MM7 SubmitReq'),
  kind('converts-from-mms', `converts the MMS from ${ADDRESS} to a CPM Message`, 'an MM7 DeliverReq becomes a CPM Message'),
  kind('imdn-from-mms-report', String.raw`maps the MMS delivery report to an IMDN \((?:delivered|failed)\)`, 'an MM7 DeliveryReportReq becomes an IMDN'),
  kind('mms-retrieved-unreported', `the MMS to ${ADDRESS} was retrieved; no notification was asked for`, 'an MM7 delivery report for a sender who asked only for negative notifications'),
  kind('mms-failed-unreported', `the MMS to ${ADDRESS} failed; no notification was asked for`, 'an MM7 failure report for a sender who asked only for positive notifications'),
  kind('no-submit-rsp', `no SubmitRsp from the MMS Relay/Server for the MMS to ${ADDRESS}`, 'the MMS Relay/Server did not answer a SubmitReq: 504'),
  kind('no-mms-report', `no delivery report from the MMS Relay/Server for the MMS to ${ADDRESS}: reports it failed`, 'no MM7 delivery report came'),
  kind('mms-refused', String.raw`the MMS Relay/Server refused the MMS to ${ADDRESS}: \d+ .+`, 'the MMS Relay/Server refused a SubmitReq'),
  // Session interworking (src/cpm/interworking/interworked-sessions.ts).
  kind('opens-interworked-session', `opens a session between ${ADDRESS} and ${ADDRESS}: each message becomes (?:an SMS|a mail)`, 'an Interworking Function accepted a CPM Session Invitation as its end (CPM 5.3.1)'),
  kind('session-to-sms', `converts the session message to an SMS for ${ADDRESS}`, 'a SEND of an interworked session becomes an SMS'),
  kind('session-to-mail', `converts the session message to a mail for ${ADDRESS}`, 'a SEND of an interworked session becomes a mail'),
  kind('into-session', `puts the (?:SMS|mail) from ${ADDRESS} into the session with ${ADDRESS}`, 'a non-CPM message becomes a SEND in the open session with its sender (CPM 5.3.2)'),
  kind('report-from-receipt', String.raw`maps the (?:delivery receipt|DSN) to an MSRP REPORT \((?:delivered|failed)\)`, 'a delivery receipt or DSN becomes an MSRP REPORT (RFC 4975 7.1.2)'),
  kind('session-ended-by-cpm', `the CPM side ended the session with ${ADDRESS}`, 'the CPM user ended an interworked session (BYE)'),
  kind('session-idle-end', String.raw`nothing from either side for \d+ s: ends the session with ${ADDRESS}`, 'an interworked session ended by idle time (BYE from the Interworking Function)'),
  kind('converts-to-imps', `converts the CPM Message to an IMPS message for ${ADDRESS}`, 'a CPM Message becomes an IMPS SendMessage-Request'),
  kind('converts-from-imps', `converts the IMPS message from ${ADDRESS}(?: in ${ADDRESS})? to a CPM Message`, 'an IMPS NewMessage becomes a CPM Message'),
  kind('imps-joins-group', `joins ${ADDRESS} to the IMPS group ${ADDRESS}`, 'the IMPS IWF joins a CPM user to an IMPS group before its first message (CPM 5.1.2.5)'),
  kind('imdn-from-delivery-report', String.raw`maps the delivery report to an IMDN \((?:delivered|failed)\)`, 'an IMPS DeliveryReport-Request becomes an IMDN'),
  kind('imps-delivered-unreported', `the IMPS message to ${ADDRESS} was delivered; no notification was asked for`, 'an IMPS delivery report for a sender who asked only for negative notifications'),
  kind('imps-failed-unreported', `the IMPS message to ${ADDRESS} failed; no notification was asked for`, 'an IMPS failure report for a sender who asked only for positive notifications'),
  kind('imps-refused', String.raw`the IMPS server refused the message to ${ADDRESS}: \d+`, 'the IMPS server refused a message or a join'),
  kind('imps-no-answer', String.raw`no answer from the IMPS server to [\w-]+`, 'the IMPS server did not answer a CSP transaction'),
  kind('no-delivery-report', `no delivery report from the IMPS server for the message to ${ADDRESS}: reports it failed`, 'no IMPS delivery report came'),
  kind('imps-group-unreported', `the IMPS group ${ADDRESS} reports no deliveries; no notification will come`, 'a message to an IMPS group asked for delivery notifications, which WV-CSP gives for users only'),
  kind('imps-early-report', 'a delivery report came before the SendMessage-Response of its message: waits for it', 'an IMPS delivery report overtook the answer naming its MessageID'),
  kind('imps-login-retry', '.+: logs in again', 'the IMPS IWF logs in to the IMPS server again'),
  // SIP/IP Core (src/cpm/core/).
  kind('no-sip-core', `no SIP/IP Core in ${ADDRESS}`, 'the target domain has no SIP/IP Core'),
  kind('no-cpm-enabler', `no CPM enabler for ${ADDRESS}`, 'the target domain has a SIP/IP Core but no CPM enabler'),
  kind('no-route', `no route to non-CPM address ${ADDRESS}`, 'no route to a non-CPM address'),
  kind('refused-registration', 'refused sip:\\S+: .+', 'the core refused a REGISTER'),
  kind('refused-request', String.raw`refused [A-Z]+ of sip:\S+: .+`, 'the core refused the credentials of a request it challenged (RFC 3261 22.3)'),
  kind('withholds-identity', String.raw`withholds the asserted identity from ${ADDRESS} \(Privacy: id\)`, "the core removed P-Asserted-Identity before the recipient's device, as the sender asked (RFC 3325 9.3)"),
  kind('flood-limit', String.raw`flood limit: [A-Z]+ from \S+ refused, retry after \d+ s`, 'the core refused a request past its flood limit (503)'),
  // Non-CPM systems (src/cpm/non-cpm/).
  kind('sms-delivered', String.raw`(?:SMS|status report) delivered to ${ADDRESS} in \d+ segments? \(.+\)`, 'the SMS centre delivered an SMS'),
  kind('sms-retry', String.raw`${ADDRESS} is not reachable; retries in \d+ s`, 'the SMS centre will retry'),
  kind('sms-expired', `validity period of the SMS to ${ADDRESS} ended: expired`, 'an SMS expired'),
  kind('sms-unknown-number', `refused an SMS to unknown number ${ADDRESS}`, 'the SMS centre refused an unknown number'),
  kind('centre-ends-session', `no enquire_link_resp from ${ADDRESS}: ends its session`, 'the SMS centre probed a silent ESME and had no answer (SMPP 3.4 4.11)'),
  kind('mailbox', `delivered into the mailbox of ${ADDRESS}`, 'a mail reached its mailbox'),
  kind('mail-accepted', `mail to ${ADDRESS} accepted`, 'the mail relay accepted a mail'),
  kind('list-expanded', String.raw`expands the list ${ADDRESS} to \d+ members?`, 'a mailing list (a Non-CPM Group, CPM 5.1.2.5) sends a mail on to its members (RFC 5321 3.9.2)'),
  kind('list-mail', String.raw`list mail to ${ADDRESS} (?:accepted|refused: \d+)`, "a list's copy for a member elsewhere was taken or refused by the member's mail exchanger"),
  kind('distribution-list-expanded', String.raw`expands the distribution list ${ADDRESS} to \d+ members?`, 'an SMS distribution list (a Non-CPM Group, CPM 5.1.2.5) sends a message on to its members (SMPP 3.4 4.5.1)'),
  kind('no-mail-exchanger', `no mail exchanger for ${ADDRESS}`, 'the mail system knows no mail exchanger for the domain of an address'),
  kind('mms-retrieved', String.raw`MMS retrieved by ${ADDRESS} \(\S+\)`, 'a handset retrieved an MMS from the MMS Relay/Server'),
  kind('mms-unknown-number', `refused an MMS to unknown number ${ADDRESS}`, 'the MMS Relay/Server refused an unknown number (2002)'),
  kind('mms-gives-up', `no (?:DeliverRsp|DeliveryReportRsp) from ${ADDRESS} before the expiry: gives up`, 'the MMS Relay/Server stopped trying a request at its expiry'),
  kind('sends-dsn', String.raw`sends a DSN \(\S+\) to ${ADDRESS}`, 'the mail system sends a DSN'),
  kind('imps-gateway-login', `logs in the gateway of ${ADDRESS}`, 'the IMPS server opened a session for a CPM domain\'s Interworking Function'),
  kind('imps-client-delivered', `the client of ${ADDRESS} got the message and answered MessageDelivered`, 'an IMPS user\'s client received a message'),
  kind('imps-kept', `${ADDRESS} is not logged in: keeps the message`, 'the IMPS server keeps a message for a user who is logged out'),
  kind('imps-expired', `the message to ${ADDRESS} expired`, 'a kept IMPS message expired'),
  kind('imps-reports-delivery', `reports the delivery to the client of ${ADDRESS}`, 'the IMPS server reports a delivery to its sender'),
  kind('imps-joined', `${ADDRESS} joins ${ADDRESS}`, 'a user joined an IMPS group'),
  kind('imps-group-relay', `relays the message of ${ADDRESS} to the members of ${ADDRESS}`, 'an IMPS group relays a member\'s message'),
  kind('imps-not-delivered', String.raw`\S+ could not deliver the message to ${ADDRESS}: \d+`, 'a gateway could not deliver an IMPS message into CPM'),
  // Any node (src/cpm/cpm-network.ts, src/sip/stack.ts).
  kind('crashed', String.raw`crashed \(state (?:lost|kept)\)`, 'the node crashed'),
  kind('restarted', 'restarted afresh|restarted', 'the node restarted'),
  kind('rejected-malformed', 'rejected malformed [A-Z]+', 'a malformed request was answered with 400'),
  kind('discarded-malformed', 'discarded a malformed message: .+', 'a malformed message was discarded'),
  // The live gateway (src/live/), for packets of real clients.
  kind('live-client', String.raw`real client at \S+ over (?:udp|tcp)`, 'a real client sent its first packet to cpmsim live'),
  kind('live-refused', String.raw`refused a (?:malformed|oversize|rate-limited) packet from \S+(?: with \d{3})?`, 'the live gateway refused a packet of a real client (400, 513, 503)'),
  kind('live-msrp-refused', String.raw`refused a (?:malformed|oversize) MSRP message from \S+(?: with \d{3})?`, 'the live gateway refused an MSRP chunk of a real client (400, 413, RFC 4975 7.2)'),
  kind('live-media-rewrite', String.raw`gives the real client .+ \(the gateway relays the media\)`, 'the live gateway rewrote the simulated addresses (a=path, c=, m= ports) of SDP sent to a real client'),
  kind('live-rtp-dropped', String.raw`dropped a datagram from \S+ to RTP port \d+: .+`, 'the live gateway dropped a real client\'s RTP or RTCP datagram (over the rate or size, malformed)'),
  kind('live-msrp-connect', String.raw`opened an MSRP connection to \S+ for \S+ and bound it with an empty SEND \(RFC 4975 5\.4\)`, 'the live gateway, the active end, connected to a real client'),
  kind('live-msrp-bound', String.raw`MSRP connection from \S+ bound to \S+ \(RFC 4975 5\.4\)`, 'a real client\'s MSRP connection was bound to its session by its first request'),
  kind('live-msrp-throttled', String.raw`throttled MSRP from \S+: more than \d+ messages in a second`, 'the live gateway stopped reading a real client\'s MSRP connection for the rest of a second'),
  kind('live-msrp-discarded', String.raw`discarded an MSRP .+`, 'an MSRP message of a real client that no session takes'),
  kind('live-without-cpm', String.raw`${ADDRESS} registered without the CPM feature tag: CPM requests will not reach it`, 'a device declared external: true registered as a plain SIP client'),
  kind('live-send-failed', String.raw`could not send to \S+: .+`, 'the live gateway could not reach a real client'),
];

const BY_NAME = new Map(NOTE_KINDS.map((k) => [k.kind, k]));

export const NOTE_KIND_NAMES: readonly string[] = NOTE_KINDS.map((k) => k.kind);

export function isNoteKind(name: string): boolean {
  return BY_NAME.has(name);
}

/** Whether a note's text is of the named kind. */
export function noteIs(kindName: string, text: string): boolean {
  return BY_NAME.get(kindName)?.pattern.test(text) === true;
}

/** The kinds a note's text is of: one for every note the bundled scenarios write. */
export function kindsOf(text: string): string[] {
  return NOTE_KINDS.filter((k) => k.pattern.test(text)).map((k) => k.kind);
}
