import { SipParseError } from './errors.js';
import type { Via } from './header-values.js';
import { headerLine, isNamed, replaceAt, type Header, type SipMessage } from './message.js';
import { parseNameAddr } from './name-addr.js';
import { elementsOf, listLine, readNameAddr, recurringNameAddrOf, viaLine, viasOf } from './parsed-lines.js';
import { getParam, isSipUri, type SipUri, type Uri } from './uri.js';

export function topVia(msg: SipMessage): Readonly<Via> | undefined {
  const line = headerLine(msg, 'Via');
  return line === undefined ? undefined : viasOf(line)[0];
}

/**
 * The top Via of a message that may be malformed, undefined when it has none or it does not parse:
 * a response cannot be sent back along a Via that cannot be read (RFC 3261 18.2.2).
 */
export function readableTopVia(msg: SipMessage): Readonly<Via> | undefined {
  try {
    return topVia(msg);
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    return undefined;
  }
}

/** Removes the topmost Via value (a line may carry several, RFC 3261 7.3.1). */
export function popVia(msg: SipMessage): void {
  popFirstValue(msg, 'Via', (line) => {
    const rest = viasOf(line).slice(1);
    return rest.length === 0 ? undefined : viaLine(line.name, rest);
  });
}

/** Where the request came from: the `received` address if the stack recorded one, else sent-by. */
export function previousHop(msg: SipMessage): string | undefined {
  const via = topVia(msg);
  if (via === undefined) return undefined;
  const received = getParam(via.params, 'received');
  return typeof received === 'string' ? received : via.host;
}

/** The branch of the top Via, when it has one (RFC 3261 17.1.3, 17.2.3 match on it). */
export function topBranch(msg: SipMessage): string | undefined {
  const via = topVia(msg);
  const branch = via === undefined ? undefined : getParam(via.params, 'branch');
  return typeof branch === 'string' ? branch : undefined;
}

/** The element a SIP URI leads to: host names are node ids, so a next hop is the URI's host. */
export function hostOf(uri: Uri): string | undefined {
  return isSipUri(uri) ? uri.host : undefined;
}

export function topRoute(msg: SipMessage): Uri | undefined {
  const line = headerLine(msg, 'Route');
  if (line === undefined) return undefined;
  // A line of one element, the usual case, parses as one name-addr and is cached with the line.
  const elements = elementsOf(line);
  const first = elements[0];
  if (first === undefined) return undefined;
  return elements.length === 1 ? recurringNameAddrOf(line).uri : readNameAddr(first).uri;
}

/** RFC 3261 16.4: a proxy removes the top Route when it names the proxy itself. */
export function popRoute(msg: SipMessage): void {
  popFirstValue(msg, 'Route', (line) => {
    const rest = elementsOf(line).slice(1);
    return rest.length === 0 ? undefined : listLine(line.name, rest);
  });
}

/** RFC 3261 16.4: removes the top Route when it names `host`, and returns it; else undefined. */
export function popOwnRoute(msg: SipMessage, host: string): SipUri | undefined {
  const top = topRoute(msg);
  if (top === undefined || !isSipUri(top) || top.host !== host) return undefined;
  popRoute(msg);
  return top;
}

/** Removes and returns the last Route value (RFC 3261 16.4, a request from a strict router). */
export function popLastRoute(msg: SipMessage): Uri | undefined {
  const lines = msg.headers.filter((h) => isNamed(h, 'Route', 'route'));
  const line = lines[lines.length - 1];
  if (line === undefined) return undefined;
  const values = [...elementsOf(line)];
  const last = values.pop();
  const at = msg.headers.indexOf(line);
  msg.headers = values.length === 0 ? replaceAt(msg.headers, at) : replaceAt(msg.headers, at, { name: line.name, value: values.join(', ') });
  return last === undefined ? undefined : parseNameAddr(last).uri;
}

/** Removes the first element of the first `name` line; `rest` gives the line that stays, if any. */
function popFirstValue(msg: SipMessage, name: string, rest: (line: Header) => Header | undefined): void {
  const lowerName = name.toLowerCase();
  const idx = msg.headers.findIndex((h) => isNamed(h, name, lowerName));
  if (idx < 0) return;
  const kept = rest(msg.headers[idx]!);
  msg.headers = kept === undefined ? replaceAt(msg.headers, idx) : replaceAt(msg.headers, idx, kept);
}
