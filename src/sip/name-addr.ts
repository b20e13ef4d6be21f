import { SipParseError } from './errors.js';
import { formatParams, parseHeaderParams } from './params.js';
import { endOfQuoted, isToken, quote, trimLws, unquote } from './syntax.js';
import { formatUri, getParam, parseUri, type Param, type Uri } from './uri.js';

/** RFC 3261 25.1 name-addr / addr-spec with the header parameters that follow it (e.g. tag). */
export interface NameAddr {
  /** Unquoted text: quoted-pairs resolved for a quoted-string, as written for tokens. */
  displayName?: string;
  uri: Uri;
  params: Param[];
}

const isTokenList = (text: string): boolean => text !== '' && text.split(/[ \t]+/).every(isToken);

/**
 * RFC 3261 20.10: in the addr-spec form the parameters after the URI belong to the header, and a
 * URI containing "," "?" or ";" must be written as a name-addr instead.
 */
function parseAddrSpec(text: string): NameAddr {
  const semi = text.indexOf(';');
  const uriText = trimLws(semi < 0 ? text : text.slice(0, semi));
  if (/[,?]/.test(uriText)) {
    throw new SipParseError('header', `URI '${uriText}' contains ',' or '?' and must be enclosed in <> (RFC 3261 20)`);
  }
  return { uri: parseUri(uriText), params: parseHeaderParams(semi < 0 ? '' : text.slice(semi)) };
}

/** Parses `"Name" <uri>;p=v`, `Name <uri>;p=v`, `<uri>;p=v` or `uri;p=v`. */
export function parseNameAddr(text: string): NameAddr {
  const t = trimLws(text);
  let displayName: string | undefined;
  let rest: string;
  if (t.startsWith('"')) {
    const end = endOfQuoted(t, 0);
    displayName = unquote(t.slice(0, end));
    rest = trimLws(t.slice(end));
    if (!rest.startsWith('<')) throw new SipParseError('header', `quoted display name in '${t}' is not followed by <URI>`);
  } else {
    const lt = t.indexOf('<');
    if (lt < 0) return parseAddrSpec(t);
    const name = trimLws(t.slice(0, lt));
    // RFC 3261 25.1: display-name = *(token LWS) / quoted-string; anything else must be quoted.
    if (name !== '' && !isTokenList(name)) {
      throw new SipParseError('header', `display name '${name}' contains characters that require quoting`);
    }
    if (name !== '') displayName = name;
    rest = t.slice(lt);
  }
  const gt = rest.indexOf('>');
  if (gt < 0) throw new SipParseError('header', `'${t}' has '<' without matching '>'`);
  const uri = parseUri(rest.slice(1, gt));
  const params = parseHeaderParams(rest.slice(gt + 1));
  return displayName === undefined ? { uri, params } : { displayName, uri, params };
}

/** Always the bracketed form; the display name is quoted unless it is a plain list of tokens. */
export function formatNameAddr(na: NameAddr): string {
  const name = na.displayName;
  const shown = name === undefined ? '' : `${name === trimLws(name) && isTokenList(name) ? name : quote(name)} `;
  return `${shown}<${formatUri(na.uri)}>${formatParams(na.params)}`;
}

/** The `tag` parameter of a From or To value (RFC 3261 19.3), undefined when absent. */
export function tagOf(value: string | undefined): string | undefined {
  const tag = value === undefined ? undefined : getParam(parseNameAddr(value).params, 'tag');
  return typeof tag === 'string' ? tag : undefined;
}
