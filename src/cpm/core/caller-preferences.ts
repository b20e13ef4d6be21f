import { splitHeaderList } from '../../sip/header-values.js';
import { headers, type SipRequest } from '../../sip/message.js';
import { parseHeaderParams } from '../../sip/params.js';
import type { Param } from '../../sip/uri.js';

/**
 * A feature parameter's values, lowercased: `"a,b"` is the set {a, b} (RFC 3840 9); a flag is
 * {true}, as `;audio` and `;audio="TRUE"` say the same (RFC 3840 9, boolean values).
 */
function values(param: Param): string[] {
  if (param.value === undefined) return ['true'];
  const raw = param.value.startsWith('"') ? param.value.slice(1, -1) : param.value;
  return raw.split(',').map((v) => v.trim().toLowerCase());
}

/** A contact matches a feature set when it has every listed feature with every listed value. */
function matches(contact: Param[], features: Param[]): boolean {
  return features.every((f) => {
    const own = contact.find((p) => p.name.toLowerCase() === f.name.toLowerCase());
    return own !== undefined && values(f).every((v) => values(own).includes(v));
  });
}

function featureSets(req: SipRequest, header: string): { features: Param[]; required: boolean }[] {
  return headers(req, header)
    .flatMap(splitHeaderList)
    .map((value) => {
      // Each value is `*;feature-params`; the `*` is the only rule-spec RFC 3841 defines.
      const params = parseHeaderParams(value.replace(/^\s*\*\s*/, ''));
      const isFeature = (p: Param): boolean => p.name.startsWith('+') || !['require', 'explicit'].includes(p.name.toLowerCase());
      return { features: params.filter(isFeature), required: params.some((p) => p.name.toLowerCase() === 'require') };
    });
}

/**
 * RFC 3841 caller preferences as a proxy applies them to a registered contact's feature parameters:
 * a contact matching any Reject-Contact set is dropped, and one failing an Accept-Contact set marked
 * `require` is dropped. Used to reach one device by its +sip.instance, or to exclude one (Figure 7's
 * "apart from CPM Client B3").
 */
export function eligible(req: SipRequest, contactParams: Param[]): boolean {
  if (featureSets(req, 'Reject-Contact').some((set) => matches(contactParams, set.features))) return false;
  return featureSets(req, 'Accept-Contact').every((set) => !set.required || matches(contactParams, set.features));
}
