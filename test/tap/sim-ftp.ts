// A scripted FTP server and client on any transport, for testing the tap's
// FTP rewriting without outside programs: just enough of RFC 959 and RFC
// 2428 (USER, PASS, PASV, EPSV, PORT, EPRT, LIST, RETR, QUIT), with the
// lines read and written by the FTP core's own parsers and formatters.
import {
  formatCommand,
  formatEprtArgument,
  formatEpsvReplyText,
  formatPasvReplyText,
  formatPortArgument,
  formatReply,
  parseCommandLine,
  parseEprtArgument,
  parseEpsvReply,
  parsePasvReply,
  parsePortArgument,
  parseReplies,
  REPLY_PARSER_START,
  replyText,
  type FtpReply,
  type ReplyParserState,
} from '../../machines/ftp/protocol/index.ts';
import type { Connection, Endpoint, Transport } from '../../runtime/transport/types.ts';

const enc = new TextEncoder();

async function sendAll(conn: Connection, bytes: Uint8Array): Promise<void> {
  for (let i = 0; i < bytes.length; ) i += await conn.send(bytes.subarray(i));
}

async function readAll(conn: Connection): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const b = await conn.recv(65536);
    if (b.length === 0) break;
    chunks.push(b.slice());
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Command lines from a connection, one at a time. */
class Lines {
  private buffer = '';
  constructor(private readonly conn: Connection) {}
  async next(): Promise<string | null> {
    for (;;) {
      const lf = this.buffer.indexOf('\n');
      if (lf >= 0) {
        const line = this.buffer.slice(0, lf + 1);
        this.buffer = this.buffer.slice(lf + 1);
        return line;
      }
      const b = await this.conn.recv(4096);
      if (b.length === 0) return null;
      this.buffer += new TextDecoder().decode(b);
    }
  }
}

/** Replies from a connection, one at a time (the core's reply parser). */
class Replies {
  private state: ReplyParserState = REPLY_PARSER_START;
  private ready: FtpReply[] = [];
  constructor(private readonly conn: Connection) {}
  async next(): Promise<FtpReply> {
    while (this.ready.length === 0) {
      const b = await this.conn.recv(4096);
      if (b.length === 0) throw new Error('control connection closed while a reply was awaited');
      const parsed = parseReplies(this.state, b);
      this.state = parsed.rest;
      for (const r of parsed.replies) if (r.ok) this.ready.push(r.value);
    }
    return this.ready.shift()!;
  }
}

export interface SimFtpFiles {
  [name: string]: Uint8Array;
}

/** Serve FTP sessions on `port` until the listener is closed; returns a stop function. */
export async function simFtpServer(transport: Transport, host: string, port: number, files: SimFtpFiles): Promise<{ address: Endpoint; stop(): Promise<void> }> {
  const listener = await transport.listen({ host, port, backlog: 5 });
  const session = async (control: Connection) => {
    const reply = (code: number, text: string) => sendAll(control, enc.encode(formatReply(code, text)));
    const lines = new Lines(control);
    await reply(220, 'sim FTP ready.');
    let dataTo: Endpoint | null = null;
    let passive: Awaited<ReturnType<Transport['listen']>> | null = null;
    const openData = async (): Promise<Connection> => {
      if (passive !== null) {
        const conn = await passive.accept();
        await passive.close();
        passive = null;
        return conn;
      }
      return transport.connect(dataTo!);
    };
    for (;;) {
      const line = await lines.next();
      if (line === null) break;
      const parsed = parseCommandLine(line);
      if (!parsed.ok) {
        await reply(500, 'What?');
        continue;
      }
      const { verb, argument } = parsed.value;
      if (verb === 'USER') await reply(331, 'Password, please.');
      else if (verb === 'PASS') await reply(230, 'Logged in.');
      else if (verb === 'PASV' || verb === 'EPSV') {
        passive = await transport.listen({ host: control.local.host, port: 0, backlog: 1 });
        const p = passive.address.port;
        if (verb === 'PASV') await reply(227, formatPasvReplyText({ host: control.local.host, port: p }));
        else await reply(229, formatEpsvReplyText(p));
      } else if (verb === 'PORT' || verb === 'EPRT') {
        const a = verb === 'PORT' ? parsePortArgument(argument) : parseEprtArgument(argument);
        if (!a.ok) {
          await reply(501, 'Bad address.');
          continue;
        }
        dataTo = { host: a.value.host, port: a.value.port };
        await reply(200, `${verb} command successful.`);
      } else if (verb === 'LIST' || verb === 'RETR') {
        const bytes = verb === 'LIST' ? enc.encode(Object.keys(files).map((n) => `${n}\r\n`).join('')) : files[argument];
        if (bytes === undefined) {
          await reply(550, 'No such file.');
          continue;
        }
        await reply(150, 'Opening data connection.');
        const data = await openData();
        await sendAll(data, bytes);
        await data.close();
        await reply(226, 'Transfer complete.');
      } else if (verb === 'QUIT') {
        await reply(221, 'Goodbye.');
        break;
      } else await reply(502, 'Not implemented.');
    }
    await control.close();
  };
  let stopped = false;
  void (async () => {
    while (!stopped) {
      let conn: Connection;
      try {
        conn = await listener.accept();
      } catch {
        return;
      }
      void session(conn).catch(() => undefined);
    }
  })();
  return {
    address: listener.address,
    stop: async () => {
      stopped = true;
      await listener.close();
    },
  };
}

export type DataMode = 'PASV' | 'EPSV' | 'PORT' | 'EPRT';

/** Log in, then for each step a LIST or RETR over a data connection in that mode; QUIT. Returns what each transfer brought. */
export async function simFtpClient(transport: Transport, server: Endpoint, steps: { mode: DataMode; command: string }[]): Promise<Uint8Array[]> {
  const control = await transport.connect(server);
  const replies = new Replies(control);
  const command = async (verb: string, argument = '') => {
    const line = formatCommand(verb, argument);
    if (!line.ok) throw new Error(line.error.message);
    await sendAll(control, enc.encode(line.value));
    return replies.next();
  };
  const expect = (reply: FtpReply, code: number) => {
    if (reply.code !== code) throw new Error(`expected ${code}, got ${reply.code} ${replyText(reply)}`);
  };
  expect(await replies.next(), 220);
  expect(await command('USER', 'anonymous'), 331);
  expect(await command('PASS', 'guest'), 230);
  const got: Uint8Array[] = [];
  for (const { mode, command: line } of steps) {
    const [verb, ...rest] = line.split(' ');
    let data: Promise<Connection>;
    if (mode === 'PASV' || mode === 'EPSV') {
      const reply = await command(mode);
      expect(reply, mode === 'PASV' ? 227 : 229);
      const port = mode === 'PASV' ? parsePasvReply(replyText(reply)) : parseEpsvReply(replyText(reply));
      if (!port.ok) throw new Error(port.error.message);
      // Connect to the control connection's host, as curl and ftplib do.
      data = transport.connect({ host: control.remote.host, port: port.value.port });
    } else {
      const listener = await transport.listen({ host: control.local.host, port: 0, backlog: 1 });
      const address = { host: control.local.host, port: listener.address.port };
      const argument = mode === 'PORT' ? formatPortArgument(address) : formatEprtArgument({ protocol: 1, ...address });
      expect(await command(mode, argument), 200);
      data = listener.accept().finally(() => listener.close());
    }
    const reading = data.then(async (conn) => {
      const bytes = await readAll(conn);
      await conn.close();
      return bytes;
    });
    expect(await command(verb!, rest.join(' ')), 150);
    got.push(await reading);
    expect(await replies.next(), 226);
  }
  expect(await command('QUIT'), 221);
  await control.close();
  return got;
}
