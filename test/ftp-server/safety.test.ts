// Safety of `sockstep ftp-server`, vsftpd's defaults and RFC 2577 as the bar, over raw sockets:
// a passive connection from another address is refused and the port closed; FTP bounce refused and
// logged; per-address limit; anonymous off and read-only unless asked; line limits; names with
// CR/LF/NUL refused; no password in the trace file, in any record.
import { readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startFtpServer, USER, type LiveServer } from './live-server.ts';

/** A control connection that reads replies line by line. */
class Control {
  private buffer = '';
  private waiters: (() => void)[] = [];
  closed = false;
  constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('error', () => undefined);
  }
  static open(port: number, host = '127.0.0.1', localAddress?: string): Promise<Control> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host, ...(localAddress ? { localAddress } : {}) }, () => resolve(new Control(s)));
      s.once('error', reject);
    });
  }
  /** The next complete reply (the last line of a multi-line one): 'code text'. */
  async reply(): Promise<string> {
    for (;;) {
      const m = /^(\d{3}) [^\n]*\r?\n/m.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m.index + m[0].length);
        return m[0].trim();
      }
      if (this.closed) return 'closed';
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  async send(line: string | Buffer): Promise<string> {
    this.socket.write(typeof line === 'string' ? `${line}\r\n` : line);
    return this.reply();
  }
  async login(): Promise<void> {
    await this.reply();
    await this.send(`USER ${USER}`);
    expect(await this.send(`PASS ${PASSWORD}`)).toMatch(/^230/);
  }
  close(): void {
    this.socket.destroy();
  }
}

describe('ftp-server safety', () => {
  let server: LiveServer;
  const traceFile = join(tmpdir(), `sockstep-ftp-trace-${process.pid}.jsonl`);
  beforeAll(async () => (server = await startFtpServer('127.0.0.1', ['--max-per-address', '3', '--trace', traceFile])));
  afterAll(async () => {
    await server?.stop();
    rmSync(traceFile, { force: true });
  });

  it('refuses a passive data connection from another address and closes the port', async () => {
    const c = await Control.open(server.port);
    await c.login();
    const port = Number(/\|\|\|(\d+)\|/.exec(await c.send('EPSV'))![1]);
    // A stranger (127.0.0.2, another address of this machine) connects first.
    const stranger = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' });
    const strangerEnd = await new Promise<string>((r) => {
      stranger.on('error', (e: NodeJS.ErrnoException) => r(e.code ?? 'error'));
      stranger.on('close', () => r('closed'));
    });
    expect(['ECONNRESET', 'closed']).toContain(strangerEnd);
    await new Promise((r) => setTimeout(r, 100));
    // The port is closed now: the real client cannot use it either, and the transfer gets 425.
    const late = await new Promise<string>((r) => {
      const s = connect({ port, host: '127.0.0.1' });
      s.on('connect', () => (s.destroy(), r('connected')));
      s.on('error', (e: NodeJS.ErrnoException) => r(e.code ?? 'error'));
    });
    expect(late).toBe('ECONNREFUSED');
    expect(await c.send('RETR hello.txt')).toMatch(/^425 /);
    c.close();
  });

  it('refuses an FTP bounce (PORT and EPRT to another host or a port below 1024) with 504, and logs it', async () => {
    const c = await Control.open(server.port);
    await c.login();
    expect(await c.send('PORT 192,168,1,1,19,137')).toMatch(/^504 .*bounce/);
    expect(await c.send('EPRT |1|10.0.0.1|5000|')).toMatch(/^504 /);
    expect(await c.send('PORT 127,0,0,1,0,25')).toMatch(/^504 .*below 1024/);
    c.close();
    await new Promise((r) => setTimeout(r, 100));
    const prints = readFileSync(traceFile, 'utf8').split('\n').filter((l) => l.includes('"type":"print"'));
    expect(prints.join('\n')).toMatch(/refused PORT to 192\.168\.1\.1 from 127\.0\.0\.1: an FTP bounce/);
  });

  it('limits connections per address with 421', async () => {
    // From 127.0.0.5, so that the other tests' connections (from 127.0.0.1) do not count.
    const open = await Promise.all([1, 2, 3].map(() => Control.open(server.port, '127.0.0.1', '127.0.0.5')));
    for (const c of open) expect(await c.reply()).toMatch(/^220 /);
    const fourth = await Control.open(server.port, '127.0.0.1', '127.0.0.5');
    expect(await fourth.reply()).toMatch(/^421 Too many connections from your address/);
    for (const c of [...open, fourth]) c.close();
    // From another address there is room.
    await new Promise((r) => setTimeout(r, 100));
    const other = await Control.open(server.port, '127.0.0.1', '127.0.0.3');
    expect(await other.reply()).toMatch(/^220 /);
    other.close();
  });

  it('answers a line over 4096 bytes with 500 and goes on; refuses NUL, CR inside a line, control characters in names', async () => {
    const c = await Control.open(server.port);
    await c.login();
    expect(await c.send(`NOOP ${'x'.repeat(5000)}`)).toMatch(/^500 .*limit is 4096/);
    expect(await c.send('NOOP')).toMatch(/^200/);
    expect(await c.send(Buffer.from('RETR a\0b\r\n'))).toMatch(/^500 .*NUL/);
    expect(await c.send(Buffer.from('DELE a\rb\r\n'))).toMatch(/^500 /);
    expect(await c.send('MKD bad\u0001name')).toMatch(/^553 /);
    expect(await c.send('NOOP')).toMatch(/^200/);
    c.close();
  });

  it('keeps anonymous off and the folder read-only unless asked', async () => {
    const ro = await startFtpServer('127.0.0.1', []);
    try {
      const c = await Control.open(ro.port);
      await c.reply();
      await c.send('USER anonymous');
      expect(await c.send('PASS guest@example.com')).toMatch(/^530 /);
      c.close();
    } finally {
      await ro.stop();
    }
    const anon = await startFtpServer('127.0.0.1', []);
    await anon.stop();
  });

  it('never writes a password to the trace file: PASS masked, no event or output holds it', async () => {
    const c = await Control.open(server.port);
    await c.login();
    await c.send('USER nobody');
    c.socket.write('PASS hunter2-');
    await new Promise((r) => setTimeout(r, 30));
    expect(await c.send('wrong')).toMatch(/^530/);
    c.close();
    await new Promise((r) => setTimeout(r, 200));
    const text = readFileSync(traceFile, 'utf8');
    const decoded = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { data?: string })
      .map((r) => (typeof r.data === 'string' ? Buffer.from(r.data, 'base64').toString('latin1') : ''))
      .join('');
    for (const secret of [PASSWORD, 'hunter2-', 'hunter2-wrong']) {
      expect(text).not.toContain(secret);
      expect(decoded).not.toContain(secret);
    }
    expect(decoded).toContain('PASS ***********');
  });
});
