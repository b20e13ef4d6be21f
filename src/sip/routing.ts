import { SipParseError } from './errors.js';
import { formatVia, parseVia, splitHeaderList, type Via } from './header-values.js';
import { replaceAt, type SipMessage } from './message.js';
import { parseNameAddr } from './name-addr.js';
import { getParam, isSipUri, type SipUri, type Uri } from './uri.js';

const isNamed = (name: string) => (h: { name: string }) => h.name.toLowerCase() === name;

export function topVia(msg: SipMessage): Via | undefined {
  const line = msg.headers.find(isNamed('via'));
  return line === undefined ? undefined : parseVia(line.value)[0];
}

/**
 * The top Via of a message that may be malformed, undefined when it has none or it does not parse:
 * a response cannot be sent back along a Via that cannot be read (RFC 3261 18.2.2).
 */
export function readableTopVia(msg: SipMessage): Via | undefined {
  try {
    return topVia(msg);
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    return undefined;
  }
}

/** Removes the topmost Via value (a line may carry several, RFC 3261 7.3.1). */
export function popVia(msg: SipMessage): void {
  popFirstValue(msg, 'via', (v) => parseVia(v).map(formatVia));
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
  const line = msg.headers.find(isNamed('route'));
  const first = line === undefined ? undefined : splitHeaderList(line.value)[0];
  return first === undefined ? undefined : parseNameAddr(first).uri;
}

/** RFC 3261 16.4: a proxy removes the top Route when it names the proxy itself. */
export function popRoute(msg: SipMessage): void {
  popFirstValue(msg, 'route', splitHeaderList);
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
  const lines = msg.headers.filter(isNamed('route'));
  const line = lines[lines.length - 1];
  if (line === undefined) return undefined;
  const values = splitHeaderList(line.value);
  const last = values.pop();
  const at = msg.headers.indexOf(line);
  msg.headers = values.length === 0 ? replaceAt(msg.headers, at) : replaceAt(msg.headers, at, { name: line.name, value: values.join(', ') });
  return last === undefined ? undefined : parseNameAddr(last).uri;
}

function popFirstValue(msg: SipMessage, name: string, split: (value: string) => string[]): void {
  const idx = msg.headers.findIndex(isNamed(name));
  if (idx < 0) return;
  const line = msg.headers[idx]!;
  const rest = split(line.value).slice(1);
  msg.headers = rest.length === 0 ? replaceAt(msg.headers, idx) : replaceAt(msg.headers, idx, { name: line.name, value: rest.join(', ') });
}
