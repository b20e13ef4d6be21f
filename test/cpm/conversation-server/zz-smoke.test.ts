import { it } from 'vitest';
import { harness, at } from '/work/main/test/cpm/harness.js';
import { describeMessage } from '/work/main/src/trace/describe.js';
import { serializeMessage } from '/work/main/src/sip/serializer.js';

it('smoke', () => {
  const { net, trace } = harness();
  for (const d of ['a.example', 'b.example', 'c.example']) net.addDomain(d);
  net.addDomain('x.example', { policy: { groupImdn: 'aggregate' } });
  net.addUser('sip:alice@a.example', ['phone']);
  net.addUser('sip:bob@b.example', ['phone']);
  net.addUser('sip:carol@c.example', ['phone']);
  net.addGroup('sip:friends@x.example', { members: ['sip:alice@a.example', 'sip:bob@b.example', 'sip:carol@c.example'] });
  net.at(0, () => { for (const u of ['alice@a.example', 'bob@b.example', 'carol@c.example']) net.client(`sip:${u}`, 'phone').register(); });
  net.at(at(1), () => net.client('sip:alice@a.example', 'phone').send({ to: 'sip:friends@x.example', text: 'hi all', notify: ['positive-delivery', 'negative-delivery'] }));
  net.run({ until: at(40) });
  for (const e of trace.events) {
    if (e.at < at(1)) continue;
    if (e.type === 'note') console.log((e.at/1000).toFixed(3), e.host, '::', e.text);
    else console.log((e.at/1000).toFixed(3), e.from, '->', e.to, describeMessage(e.payload));
  }
  const agg = trace.events.find((e) => e.type === 'transmit' && e.to === 'phone.alice.a.example' && e.payload.type === 'request' && e.payload.body?.kind === 'cpim');
  if (agg && agg.type !== 'note') console.log(serializeMessage(agg.payload));
  const copy = trace.events.find((e) => e.type === 'transmit' && e.to === 'phone.bob.b.example' && e.payload.type === 'request');
  if (copy && copy.type !== 'note') console.log(serializeMessage(copy.payload));
});
