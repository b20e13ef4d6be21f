/**
 * RFC 4826 3.4 application/resource-lists+xml, as a URI list in a request body (RFC 5366 for an
 * INVITE to a conference focus, RFC 5368 for a REFER with several targets).
 */
export interface ResourceList {
  entries: ResourceEntry[];
}

export interface ResourceEntry {
  uri: string;
  displayName?: string;
}
