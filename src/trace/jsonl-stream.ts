/**
 * A trace streamed as JSON lines while the run goes (docs/jsonl-schema.md, "Streamed traces"):
 * a header, then each network event's line as it happens. There is no figure to project onto,
 * so the lines carry no lifelines, steps or marks, and nothing is kept once written.
 */
import { eventLine } from './jsonl.js';
import type { TraceEvent } from './recorder.js';

export const JSONL_STREAM_SCHEMA = 'cpmsim.trace-stream';
export const JSONL_STREAM_VERSION = 1;

export interface StreamHeader {
  /** The file the run was made from (a load file). */
  source: string;
  title: string;
  seed: number;
}

export class JsonlStreamWriter {
  private count = 0;

  readonly observer = (event: TraceEvent): void => {
    this.count++;
    this.write(`${eventLine(event)}\n`);
  };

  constructor(
    header: StreamHeader,
    private readonly write: (text: string) => void,
  ) {
    write(`${JSON.stringify({ schema: JSONL_STREAM_SCHEMA, version: JSONL_STREAM_VERSION, source: header.source, title: header.title, seed: header.seed })}\n`);
  }

  /** Event lines written so far. */
  get events(): number {
    return this.count;
  }
}
