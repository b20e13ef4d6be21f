// A 20-participant audio group session for 10 virtual minutes with RTP on (RFC 3550): the
// Controlling Function mixes (CPM 5.2.3.9) and every end sends RTCP. `floor`: the session is under
// BFCP floor control (RFC 4582) and the participants ask for the floor one after another, talking
// 30 s each (one talker at a time, 19 mixes out); `all`: no floor control, every participant talks
// all the time (the mixer's worst case: 20 streams in, 20 mixes out). Traced by an event counter.
// Prints one JSON line per mode.
// Run: node bench/media.js [participants] [virtual seconds]
import { CpmNetwork, EventCounter, SECOND } from '../dist/index.js';

const participants = Number(process.argv[2] ?? 20);
const seconds = Number(process.argv[3] ?? 600);

function run(mode) {
  const net = new CpmNetwork({ seed: 11, rtp: true });
  net.addDomain('a.example');
  const aors = Array.from({ length: participants }, (_, i) => `sip:p${i}@a.example`);
  for (const aor of aors) net.addUser(aor, [{ name: 'phone', media: ['audio'] }]);
  net.addGroup('sip:meeting@a.example', { members: aors });
  const counter = new EventCounter();
  net.observe(counter.observer);
  for (const aor of aors) net.at(0, () => net.client(aor, 'phone').register());
  let conversation;
  net.at(1 * SECOND, () => {
    conversation = net.client(aors[0], 'phone').session.invite('sip:meeting@a.example', ['audio'], undefined, mode === 'floor');
  });
  const start = 5 * SECOND;
  const talk = seconds * SECOND;
  if (mode === 'all') for (const aor of aors) net.at(start, () => net.client(aor, 'phone').session.talk(conversation, talk));
  else {
    const turn = Math.floor(talk / participants);
    aors.forEach((aor, i) => net.at(start + i * turn, () => net.client(aor, 'phone').session.talk(conversation, turn)));
  }
  const wall0 = performance.now();
  net.run({ until: start + talk + 1 * SECOND, maxEvents: Number.MAX_SAFE_INTEGER });
  const wallS = (performance.now() - wall0) / 1000;
  const rtp = counter.counts().transmitted.rtp ?? {};
  const packets = Object.values(rtp).reduce((a, b) => a + b, 0);
  return { mode, participants, virtual_s: seconds, wall_s: wallS, rtp_and_rtcp_packets: packets, packets_per_s_wall: packets / wallS, events: net.sim.eventsRun };
}

for (const mode of ['floor', 'all']) console.log(JSON.stringify(run(mode)));
