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

/** mulberry32: uniform draws in [0, 1) that cost next to nothing beside what they choose. */
export function mulberry32(seed) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Schedules a round of `messages` pager-mode messages with delivery notifications between users
 * drawn with `uniform`, evenly over messages/100 virtual seconds from a second after now; returns
 * the virtual time by which every transaction of the round has ended.
 */
export function scheduleMessages(net, aors, messages, uniform) {
  const users = aors.length;
  const start = net.sim.now + SECOND;
  const spread = Math.max(1, messages / 100) * SECOND;
  for (let i = 0; i < messages; i++) {
    net.at(start + Math.floor((i * spread) / messages), () => {
      const from = Math.floor(uniform() * users);
      const to = (from + 1 + Math.floor(uniform() * (users - 1))) % users;
      net.client(aors[from], 'phone').send({ to: aors[to], text: 'hello', notify: ['positive-delivery'] });
    });
  }
  return start + spread + 40 * SECOND;
}
