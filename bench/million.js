// A million users with one device each, provisioned and registered (spread over 10 virtual
// seconds); run by bench/run.js in a process of its own with a large heap, so the peak RSS is this
// process's. Prints a JSON line per virtual second and one at the end; stops early (`stopped`)
// past the RSS cap or the wall budget, to spare the machine.
// Run: node --max-old-space-size=20480 bench/million.js [users] [rss-cap-MiB] [budget-s]
import { CpmNetwork, SECOND } from '../dist/index.js';

const users = Number(process.argv[2] ?? 1_000_000);
const capMiB = Number(process.argv[3] ?? 8192);
const budgetS = Number(process.argv[4] ?? 300);
const DOMAINS = 20;
const wall0 = performance.now();
const wall = () => (performance.now() - wall0) / 1000;
const rssMiB = () => process.resourceUsage().maxRSS / 1024;
const report = (fields) => console.log(JSON.stringify({ users, wall_s: wall(), peak_rss_mib: rssMiB(), ...fields }));
const over = () => rssMiB() > capMiB || wall() > budgetS;

const net = new CpmNetwork({ seed: 42 });
for (let d = 1; d <= DOMAINS; d++) net.addDomain(`d${d}.example`);
const aors = [];
for (let u = 0; u < users; u++) {
  const aor = `sip:u${u}@d${(u % DOMAINS) + 1}.example`;
  net.addUser(aor, ['phone']);
  aors.push(aor);
  if (u % 50_000 === 49_999) {
    report({ provisioned: u + 1 });
    if (over()) {
      report({ stopped: true, provisioned: u + 1, registered: 0 });
      process.exit(0);
    }
  }
}
const provisionS = wall();
const gap = (10 * SECOND) / users;
const register = (i) => {
  net.client(aors[i], 'phone').register();
  if (i + 1 < users) net.at(Math.floor((i + 1) * gap), () => register(i + 1));
};
net.at(0, () => register(0));
for (let s = 1; s <= 12; s++) {
  net.run({ until: s * SECOND, maxEvents: Number.MAX_SAFE_INTEGER });
  const registered = Math.min(users, Math.floor((s * SECOND) / gap));
  report({ virtual_s: s, registered });
  if (over() && s < 12) {
    report({ stopped: true, provision_s: provisionS, registered });
    process.exit(0);
  }
}
report({ done: true, provision_s: provisionS, registered: users, register_s: wall() });
