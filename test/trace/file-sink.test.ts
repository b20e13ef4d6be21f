/**
 * The file a long run's trace is written to (src/trace/file-sink.ts): created at once, written in
 * chunks of 1 MiB, everything on disk after close(), and a path that cannot be written refused
 * before the run starts, naming the path.
 */
import { Buffer } from 'node:buffer';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSink } from '../../src/trace/file-sink.js';

const dir = mkdtempSync(join(tmpdir(), 'cpmsim-file-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MIB = 1 << 20;

describe('FileSink', () => {
  it('creates the file at once, empty, and truncates one that was there', () => {
    const path = join(dir, 'created.jsonl');
    const first = new FileSink(path);
    first.write('old contents\n');
    first.close();
    const sink = new FileSink(path);
    expect(sink.path).toBe(path);
    expect(statSync(path).size).toBe(0);
    sink.close();
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('writes text as UTF-8 and octets as they are, in order, once closed', () => {
    const path = join(dir, 'mixed.bin');
    const sink = new FileSink(path);
    sink.write('héllo ');
    sink.write(new Uint8Array([0, 255, 10]));
    sink.write('漢\n');
    // Small writes wait in memory: nothing is on disk before close().
    expect(statSync(path).size).toBe(0);
    expect(sink.size).toBe(7 + 3 + 4);
    sink.close();
    expect(readFileSync(path).equals(Buffer.concat([Buffer.from('héllo ', 'utf8'), Buffer.from([0, 255, 10]), Buffer.from('漢\n', 'utf8')]))).toBe(true);
  });

  it('writes once 1 MiB is waiting, not before, and counts every octet written or waiting', () => {
    const path = join(dir, 'chunks.txt');
    const sink = new FileSink(path);
    sink.write('a'.repeat(MIB - 1));
    expect(statSync(path).size).toBe(0);
    sink.write('b');
    expect(statSync(path).size).toBe(MIB);
    expect(sink.size).toBe(MIB);
    sink.write(new Uint8Array(MIB + 5).fill(0x63));
    expect(statSync(path).size).toBe(2 * MIB + 5);
    sink.write('tail');
    expect(sink.size).toBe(2 * MIB + 9);
    expect(statSync(path).size).toBe(2 * MIB + 5);
    sink.close();
    const content = readFileSync(path);
    expect(content.length).toBe(2 * MIB + 9);
    expect(content.subarray(MIB - 2, MIB + 2).toString()).toBe('abcc');
    expect(content.subarray(-4).toString()).toBe('tail');
  });

  it('counts a multi-octet character by its UTF-8 octets toward the chunk', () => {
    const path = join(dir, 'utf8.txt');
    const sink = new FileSink(path);
    // 349,526 three-octet characters: 1,048,578 octets, past 1 MiB although fewer characters.
    sink.write('漢'.repeat(349_526));
    expect(statSync(path).size).toBe(3 * 349_526);
    sink.close();
  });

  it('refuses a path it cannot create, naming it', () => {
    const path = join(dir, 'no-such-dir', 'trace.pcap');
    expect(() => new FileSink(path)).toThrow(path);
  });
});
