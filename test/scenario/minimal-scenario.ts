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
