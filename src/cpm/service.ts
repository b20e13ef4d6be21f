/**
 * CPM service identification on the wire. The 2008 draft names no values; these are the IMS
 * Communication Service Identifiers (3GPP TS 24.229 7.2A.8) that OMA CPM later registered for
 * standalone messages and sessions, written as 3GPP practice does.
 */
export const CPM_MSG_ICSI = 'urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg';
export const CPM_SESSION_ICSI = 'urn:urn-7:3gpp-service.ims.icsi.oma.cpm.session';

/** The ICSI inside a feature-tag value must have its colons escaped (RFC 3840 9). */
const escapeIcsi = (icsi: string): string => icsi.replace(/:/g, '%3A');

/** Contact feature tag a CPM Client registers with (both services), RFC 3840. */
export const CPM_FEATURE_TAG = {
  name: '+g.3gpp.icsi-ref',
  value: `"${escapeIcsi(CPM_MSG_ICSI)},${escapeIcsi(CPM_SESSION_ICSI)}"`,
};

/** Accept-Contact for a standalone CPM Message (RFC 3841), the "CPM Service indication". */
export const CPM_MSG_ACCEPT_CONTACT = `*;+g.3gpp.icsi-ref="${escapeIcsi(CPM_MSG_ICSI)}"`;

/** Accept-Contact for a CPM Session Invitation: the CPM enabler usage indication (CPM 5.2.3.1.1.1). */
export const CPM_SESSION_ACCEPT_CONTACT = `*;+g.3gpp.icsi-ref="${escapeIcsi(CPM_SESSION_ICSI)}"`;

/** The headers that indicate CPM enabler usage in a session request (RFC 3841, 3GPP TS 24.229 7.2A.8). */
export function cpmSessionHeaders(): { name: string; value: string }[] {
  return [
    { name: 'Accept-Contact', value: CPM_SESSION_ACCEPT_CONTACT },
    { name: 'P-Preferred-Service', value: CPM_SESSION_ICSI },
  ];
}

/** CPM 5.2.1.1 conversation indications, with the header names OMA CPM uses. */
export const CONVERSATION_ID = 'Conversation-ID';
export const CONTRIBUTION_ID = 'Contribution-ID';
export const IN_REPLY_TO_CONTRIBUTION_ID = 'InReplyTo-Contribution-ID';

/**
 * RFC 3261 20.43 warning text on the error a SIP/IP Core answers when the target domain has no
 * SIP/IP Core to resolve: the "error response stating ... no SIP/IP Core support in the target
 * network" of CPM 5.3.1.2.2, which the draft does not spell.
 */
export const NO_SIP_CORE_WARNING = 'no SIP/IP Core in the target network';

/**
 * RFC 3261 20.43 warning text on the error a SIP/IP Core without a CPM enabler answers to a CPM
 * request it cannot deliver: the "error response stating ... no CPM enabler support in the target
 * network" of CPM 5.3.1.2.1, which the draft does not spell either.
 */
export const NO_CPM_WARNING = 'no CPM enabler in the target network';

/** True when a request carries the CPM Service indication, the trigger for CPM service control. */
export function hasCpmServiceIndication(headerValues: { preferredService?: string | undefined; acceptContact?: string | undefined }): boolean {
  const icsi = headerValues.preferredService ?? '';
  const accept = headerValues.acceptContact ?? '';
  return icsi.includes('icsi.oma.cpm.') || accept.includes('icsi.oma.cpm.');
}
