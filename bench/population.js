// What the network benches share: an idle population's registrations.
import { SECOND } from '../dist/index.js';

/** Registers each AOR's `phone` evenly over `seconds` of virtual time, one pending event at a time. */
export function registerEvenly(net, aors, seconds = 10) {
  const gap = (seconds * SECOND) / aors.length;
  const register = (i) => {
    net.client(aors[i], 'phone').register();
    if (i + 1 < aors.length) net.at(Math.floor((i + 1) * gap), () => register(i + 1));
  };
  net.at(0, () => register(0));
}
