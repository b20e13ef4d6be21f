/**
 * Typed, located access to a parsed YAML document: every read either returns a value of the
 * expected type or throws a ScenarioError pointing at the node, worded for people.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { DurationError, parseDuration } from './duration.js';
import { ScenarioError } from './errors.js';
import type { Location, SpecPath } from './spec.js';
import { hint } from './suggest.js';

const PLAIN_KEY = /^[A-Za-z_][\w-]*$/;

/** `timeline[1].send.to`, `network.users["alice@a.example"].devices` */
export function formatPath(path: SpecPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

function startOf(node: unknown): number | undefined {
  if (isScalar(node) || isMap(node) || isSeq(node) || isAlias(node)) return node.range?.[0];
  return undefined;
}

function keyName(key: unknown): string | undefined {
  if (!isScalar(key) || key.value === null) return undefined;
  return typeof key.value === 'string' ? key.value : (key.source ?? String(key.value));
}

/** One parsed scenario file: resolves aliases and turns offsets into file:line:col. */
export class Source {
  private constructor(
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Parses YAML text; the first syntax error (or duplicate key) becomes a ScenarioError at its position. */
  static parse(text: string, file: string): Source {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    const source = new Source(file, doc, lines);
    const first = doc.errors[0];
    if (!first) return source;
    // yaml's own wording here points at its API; say what to do with the file instead.
    const reason = first.code === 'MULTIPLE_DOCS' ? "a scenario file holds one YAML document; remove this '---'" : first.message;
    return source.fail(first.pos[0], [], reason);
  }

  location(offset: number): Location {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }

  fail(offset: number, path: SpecPath, reason: string): never {
    const { line, col } = this.location(offset);
    throw new ScenarioError(this.file, line, col, path.length > 0 ? `${formatPath(path)}: ${reason}` : reason);
  }

  /** The node an alias points to (undefined if its anchor is not defined before it); any other node as it is. */
  private resolve(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  /** The value of `node`, found at `path`; errors about it point at `offset`. */
  value(node: unknown, path: SpecPath, offset: number): Value {
    const target = this.resolve(node);
    if (isAlias(node) && target === undefined) {
      this.fail(offset, path, `alias *${node.source} has no anchor &${node.source} before it`);
    }
    return new Value(this, target, path, offset);
  }

  root(): Value {
    return this.value(this.doc.contents, [], startOf(this.doc.contents) ?? 0);
  }

  /** Location of the node at `path`, or of its nearest ancestor that exists. */
  locate(path: SpecPath): Location {
    let node: unknown = this.doc.contents;
    let offset = startOf(node) ?? 0;
    for (const segment of path) {
      const target = this.resolve(node);
      let child: unknown;
      if (isMap(target)) child = target.items.find((pair) => keyName(pair.key) === String(segment))?.value;
      else if (isSeq(target) && typeof segment === 'number') child = target.items[segment];
      const childOffset = startOf(child);
      if (childOffset === undefined) break;
      node = child;
      offset = childOffset;
    }
    return this.location(offset);
  }
}

/** A mapping entry: its key (for errors at the key) and its value. */
export interface Entry {
  name: string;
  keyOffset: number;
  value: Value;
}

/** A node of the document at a known path. */
export class Value {
  constructor(
    readonly source: Source,
    /** The node itself, aliases resolved; null or undefined when nothing was written. */
    readonly node: unknown,
    readonly path: SpecPath,
    /** Where to point errors about this value. */
    readonly offset: number,
  ) {}

  fail(reason: string): never {
    return this.source.fail(this.offset, this.path, reason);
  }

  get isNull(): boolean {
    return this.node == null || (isScalar(this.node) && this.node.value === null);
  }

  get isList(): boolean {
    return isSeq(this.node);
  }

  get isMap(): boolean {
    return isMap(this.node);
  }

  /** What was written, in words: "a list", "the text 'x'", "nothing". */
  describe(): string {
    const node = this.node;
    if (this.isNull) return 'nothing';
    if (isMap(node)) return 'a mapping';
    if (isSeq(node)) return 'a list';
    if (isScalar(node)) {
      if (typeof node.value === 'string') return `the text '${node.value}'`;
      if (typeof node.value === 'number') return `the number ${node.source ?? node.value}`;
      return `the value ${node.source ?? String(node.value)}`;
    }
    return 'an unsupported YAML value';
  }

  expected(what: string): never {
    return this.fail(`expected ${what}, got ${this.describe()}`);
  }

  /** A string scalar (quoted or plain); numbers and booleans are refused. */
  string(): string {
    const node = this.node;
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    return this.expected('a string');
  }

  /** Free text: any scalar as it was written, so `text: 42` or `section: 5.10` keep their spelling. */
  text(): string {
    return this.scalarText() ?? this.expected('a string');
  }

  /** A non-null scalar as it was written; undefined for anything else. */
  scalarText(): string | undefined {
    const node = this.node;
    if (this.isNull || !isScalar(node)) return undefined;
    return typeof node.value === 'string' ? node.value : (node.source ?? String(node.value));
  }

  integer(): number {
    const node = this.node;
    if (isScalar(node) && typeof node.value === 'number' && Number.isSafeInteger(node.value)) return node.value;
    return this.expected('a whole number');
  }

  boolean(): boolean {
    const node = this.node;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    return this.expected('true or false');
  }

  /** Integer microseconds from `250us`, `1.5ms`, `2s`, `1min`, `1h` or `0`. */
  duration(): number {
    const node = this.node;
    if (!this.isNull && isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
      try {
        return parseDuration(node.value);
      } catch (err) {
        if (err instanceof DurationError) this.fail(err.message);
        throw err;
      }
    }
    return this.expected('a duration like 1.5s');
  }

  list(): Value[] {
    const node = this.node;
    if (!isSeq(node)) return this.expected('a list');
    return node.items.map((item, index) => this.child(item, index, this.offset));
  }

  /** A single value or a list of them, as a list. */
  oneOrMany(): Value[] {
    return this.isList ? this.list() : [this];
  }

  /** A mapping; with `known`, any other key is an error at that key. */
  map(known?: readonly string[]): Mapping {
    const node = this.node;
    if (!isMap(node)) return this.expected('a mapping');
    const entries: Entry[] = [];
    for (const pair of node.items) {
      const keyOffset = startOf(pair.key) ?? this.offset;
      const name = keyName(pair.key);
      if (name === undefined) this.source.fail(keyOffset, this.path, 'keys must be plain text');
      if (known && !known.includes(name)) {
        this.source.fail(keyOffset, this.path, `unknown field '${name}'${hint(name, known)}`);
      }
      // A key with no value at all (`? key`) is pointed at by its key.
      const keyEnd = isScalar(pair.key) ? (pair.key.range?.[1] ?? keyOffset) : keyOffset;
      entries.push({ name, keyOffset, value: this.child(pair.value, name, keyEnd) });
    }
    return new Mapping(this, entries);
  }

  private child(node: unknown, segment: string | number, fallbackOffset: number): Value {
    return this.source.value(node, [...this.path, segment], startOf(node) ?? fallbackOffset);
  }
}

/** The entries of a mapping, looked up by key. */
export class Mapping {
  constructor(
    readonly value: Value,
    readonly entries: Entry[],
  ) {}

  get(name: string): Value | undefined {
    return this.entries.find((entry) => entry.name === name)?.value;
  }

  /** An error pointed at the key of a field that is present. */
  failAtKey(name: string, reason: string): never {
    const entry = this.entries.find((candidate) => candidate.name === name);
    return this.value.source.fail(entry?.keyOffset ?? this.value.offset, this.value.path, reason);
  }

  /** The value of a field that must be present; its absence is reported at this mapping. */
  require(name: string): Value {
    return this.get(name) ?? this.value.fail(`missing required field '${name}'`);
  }
}
