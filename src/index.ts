/** The library API: build a CPM network in code or from a scenario, run it, read the trace. */
export { CpmNetwork, type CpmNetworkOptions } from './cpm/cpm-network.js';
export { CpmClient, type SendOptions } from './cpm/client/client.js';
export { Simulator, SimulationLimitError, type RunLimits, type Timer } from './kernel/simulator.js';
export { RandomStreams, type RandomStream } from './kernel/random.js';
export { MS, SECOND, formatTime, type Micros } from './kernel/time.js';
export { constantLinks, type LinkModel } from './net/links.js';
export type { NetEvent, NetObserver } from './net/events.js';
export type { SipMessage, SipRequest, SipResponse, Header } from './sip/message.js';
export { parseMessage } from './sip/parser.js';
export { serializeMessage } from './sip/serializer.js';
export { SipParseError } from './sip/errors.js';
export { loadScenarioFile, loadScenarioText } from './scenario/loader.js';
export { ScenarioError } from './scenario/errors.js';
export type { ScenarioSpec } from './scenario/spec.js';
export { runScenario, type ScenarioRun } from './scenario/runner.js';
export { TraceRecorder, type TraceEvent } from './trace/recorder.js';
export { renderLadder } from './trace/ladder.js';
