/** `cpmsim new <name>`: a commented scenario to start from, which validates and passes as written. */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { EXIT, UsageError, type CliIo } from './io.js';
import { shownPath, writeOutput } from './output-files.js';

export function scaffold(title: string): string {
  return `# A cpmsim scenario (docs/scenarios.md). Run it with: cpmsim run <this file>
# Editors complete and check it with the schema the package ships (schema/scenario.schema.json).
title: ${title}
# spec: { section: C.3.1.1.1, figure: 16 }   # the flow of the specification it reproduces
seed: 1                                     # the run is the same for the same seed

network:
  domains: [a.example, b.example]
  users:
    alice@a.example: { devices: [phone] }   # a device is named alice.phone below
    bob@b.example: { devices: [phone] }
  links: { delay: 1ms, inter-domain-delay: 10ms }

# The columns of the figure, left to right: a device, a server (core.DOMAIN, cs.DOMAIN, ...),
# or a whole domain ("*@b.example"; "rest of b.example" when another column names a part of it).
lifelines:
  Alice: alice.phone
  SIP/IP Core A: core.a.example
  CPM Conversation Server A: cs.a.example
  Network B: "*@b.example"

# What the users do, in time order.
timeline:
  - at: 0s
    register: [alice.phone, bob.phone]
  - at: 1s
    send: { from: alice.phone, to: bob@b.example, text: Hello Bob }

# The numbered steps the run must show, between the lifelines above.
expect:
  from: 1s                                  # match messages sent from 1s on
  steps:
    - { n: 1, from: Alice, to: SIP/IP Core A, request: MESSAGE }
    - { n: 2, from: SIP/IP Core A, to: CPM Conversation Server A, request: MESSAGE }
    - { n: 3, from: CPM Conversation Server A, to: SIP/IP Core A, request: MESSAGE }
    - { n: 4, from: SIP/IP Core A, to: Network B, request: MESSAGE }
    - { n: 5, at: Network B, action: shown }          # an action: a kind of note an entity writes
    - { n: 6, from: Network B, to: SIP/IP Core A, response: 200 }
    - { n: 7, from: SIP/IP Core A, to: CPM Conversation Server A, response: 200 }
    - { n: 8, from: CPM Conversation Server A, to: SIP/IP Core A, response: 200 }
    - { n: 9, from: SIP/IP Core A, to: Alice, response: 200 }
`;
}

/** Writes `<name>.yaml` (or `name` itself when it ends in .yaml); an existing file is never replaced. */
export function newCommand(name: string, io: CliIo): number {
  const file = resolve(io.cwd, /\.ya?ml$/.test(name) ? name : `${name}.yaml`);
  if (existsSync(file)) throw new UsageError(`${shownPath(io.cwd, file)} already exists; choose another name`);
  const title = basename(file).replace(/\.ya?ml$/, '').replace(/[-_]+/g, ' ');
  if (title.trim() === '') throw new UsageError(`'${name}' gives no title; name the scenario, e.g. cpmsim new pager-message`);
  writeOutput(file, scaffold(title));
  io.stdout(`wrote ${shownPath(io.cwd, file)}: edit it, then cpmsim run ${shownPath(io.cwd, file)}\n`);
  return EXIT.ok;
}
