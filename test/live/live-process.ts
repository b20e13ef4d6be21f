import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { once } from 'node:events';

/** The real clients come from Debian (.ci/run installs them); a test without one says why it skips. */
export function toolMissing(path: string): string | undefined {
  if (existsSync(path)) return undefined;
  const reason = `${path} is not installed (apt-get install ${path.split('/').at(-1)}): skipping the test with a real client`;
  console.log(reason);
  return reason;
}

/** A UDP port free on loopback right now, for a real client's own socket. */
export async function freePort(): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** `cpmsim live` as a user starts it, in a child process, on a port the system picks. */
export class LiveProcess {
  stderr = '';
  stdout = '';
  readonly exited: Promise<number>;

  private constructor(private readonly child: ChildProcess) {
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  }

  static async start(args: string[]): Promise<{ live: LiveProcess; port: number }> {
    if (!existsSync('dist/cli/main.js')) spawnSync('npm', ['run', 'build'], { stdio: 'ignore' });
    const live = new LiveProcess(spawn(process.execPath, ['bin/cpmsim.js', 'live', ...args, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const line = await live.waitFor(/listening on udp and tcp 127\.0\.0\.1:(\d+)/);
    return { live, port: Number(line[1]) };
  }

  /** Waits (at most `ms` of real time) until stderr shows the pattern. */
  async waitFor(pattern: RegExp, ms = 10_000): Promise<RegExpMatchArray> {
    for (let waited = 0; ; waited += 20) {
      const m = pattern.exec(this.stderr);
      if (m !== null) return m;
      if (waited > ms) throw new Error(`cpmsim live did not print ${pattern} within ${ms} ms; it printed:\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Ctrl-C, as a user stops it; resolves with the exit code. */
  interrupt(): Promise<number> {
    this.child.kill('SIGINT');
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
