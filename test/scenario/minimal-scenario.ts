/**
 * What follows the network in the minimal scenarios of the loader's field tests: one lifeline, one
 * registration, one step. It comes after the network, so a located error inside the network names
 * the same line whichever test builds the text.
 */
export const AFTER_NETWORK = `lifelines:
  A: alice.phone
timeline:
  - { at: 0s, register: alice.phone }
expect:
  steps:
    - { n: 1, from: A, to: A, request: MESSAGE }
`;

/** A scenario of Alice in a.example and the non-CPM systems given (indented under `non-cpm:`). */
export const withNonCpm = (systems: string): string => `title: T
network:
  domains: [a.example]
  users:
    alice@a.example: { devices: [phone] }
  non-cpm:
${systems}
${AFTER_NETWORK}`;
