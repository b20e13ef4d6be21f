import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

/**
 * A minimal MSRP endpoint over TCP on loopback for the live tests (RFC 4975): it listens (for a
 * gateway that connects to it) or connects, writes the text it is given, and keeps every MSRP
 * message it reads, cut at its end-line, so a test can wait for the one it expects.
 */
export class MsrpClient {
  readonly received: string[] = [];
  private socket: Socket | undefined;
  private pending = '';
  private waiters: { test: (text: string) => boolean; resolve: (text: string) => void }[] = [];

  private constructor(private readonly server: Server) {
    server.on('connection', (socket) => this.attach(socket));
  }

  static async listen(): Promise<MsrpClient> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new MsrpClient(server);
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  async connect(port: number): Promise<void> {
    const socket = createConnection({ host: '127.0.0.1', port });
    await once(socket, 'connect');
    this.attach(socket);
  }

  get connected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  write(text: string): void {
    this.socket!.write(text);
  }

  /** The first message (already read or to come) that passes `test`; rejects after `ms` of real time. */
  next(test: (text: string) => boolean, ms = 5000): Promise<string> {
    const seen = this.received.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no MSRP message matching within ${ms} ms; got:\n${this.received.join('\n---\n')}`)), ms);
      this.waiters.push({ test, resolve: (text) => (clearTimeout(timer), resolve(text)) });
    });
  }

  close(): void {
    this.socket?.destroy();
    this.server.close();
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      this.pending += chunk.toString('utf8');
      for (;;) {
        const id = /^MSRP (\S+) /.exec(this.pending)?.[1];
        const end = id === undefined ? -1 : this.pending.indexOf(`\r\n-------${id}`);
        if (id === undefined || end < 0 || this.pending.length < end + id.length + 12) return;
        const text = this.pending.slice(0, end + id.length + 12);
        this.pending = this.pending.slice(text.length);
        this.received.push(text);
        this.waiters = this.waiters.filter((w) => !(w.test(text) && (w.resolve(text), true)));
      }
    });
  }
}

/** RFC 4975 7.2: the 200 to a request, To-Path the first URI of its From-Path, From-Path the first of its To-Path. */
export function msrpOk(request: string): string {
  const id = /^MSRP (\S+) /.exec(request)![1]!;
  const to = /^To-Path: (\S+)/m.exec(request)![1]!;
  const from = /^From-Path: (\S+)/m.exec(request)![1]!;
  return `MSRP ${id} 200 OK\r\nTo-Path: ${from}\r\nFrom-Path: ${to}\r\n-------${id}$\r\n`;
}

/** A SEND of one CPIM message in one chunk (RFC 4975 7.1, CPM 5.2.3.9), a success report asked for. */
export function msrpSend(id: string, toPath: string, fromPath: string, from: string, to: string, text: string): string {
  const cpim = [`From: <sip:${from}>`, `To: <sip:${to}>`, 'DateTime: 2026-01-01T00:00:00.000Z', '', 'Content-Type: text/plain;charset=UTF-8', '', text].join('\r\n');
  const octets = Buffer.byteLength(cpim);
  return [`MSRP ${id} SEND`, `To-Path: ${toPath}`, `From-Path: ${fromPath}`, `Message-ID: m-${id}`, 'Success-Report: yes', `Byte-Range: 1-${octets}/${octets}`, 'Content-Type: message/cpim', '', cpim, `-------${id}$`, ''].join('\r\n');
}

/** An SDP offer or answer of a message stream at the client's listener (RFC 4975 8, RFC 6135 a=setup). */
export function msrpSdp(port: number, session: string, setup: 'actpass' | 'active' | 'passive'): string {
  return ['v=0', `o=- 1 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=message ${port} TCP/MSRP *`, 'a=accept-types:message/cpim', 'a=accept-wrapped-types:text/plain', `a=path:msrp://127.0.0.1:${port}/${session};tcp`, `a=setup:${setup}`, ''].join('\r\n');
}
