/**
 * FTP through the tap. An FTP data connection goes to the address that one
 * side names on the control connection (RFC 959 section 3.2):
 *
 *   passive   client: PASV              server: 227 Entering Passive Mode (127,0,0,1,156,64).
 *             client: EPSV              server: 229 Entering Extended Passive Mode (|||40000|)
 *             → the client connects to the server's port
 *   active    client: PORT 127,0,0,1,200,11        (or EPRT |1|127.0.0.1|51211|)
 *             → the server connects to the client's port
 *
 * Left alone, that data connection would go around the tap. So the tap
 * opens a listener of its own, puts its address in the line instead, and
 * when the expected program connects to it, connects on to the address the
 * line named and relays the two as a data connection (`label: 'data'`,
 * `link`: the control connection). The `send` record keeps the line as
 * its program sent it; a `rewrite` fault says what the other program read.
 *
 * Every line is read with the FTP core's parsers (machines/ftp/protocol/):
 * the command parser, the reply parser (so a "227 " line inside another
 * multi-line reply is not taken for one), and the PORT/EPRT/227/229
 * parsers and formatters. Browser-safe.
 */
import type { Endpoint } from '../../machines/socket-calls.ts';
import {
  MAX_COMMAND_LINE_BYTES,
  MAX_REPLY_BYTES,
  REPLY_PARSER_START,
  decodeUtf8Lenient,
  encodeUtf8,
  formatCommand,
  formatEprtArgument,
  formatEpsvReplyText,
  formatPasvReplyText,
  formatPortArgument,
  formatReply,
  ipv4Problem,
  parseCommandLine,
  parseEprtArgument,
  parseEpsvReply,
  parsePasvReply,
  parsePortArgument,
  parseReplies,
  replyText,
  type FtpReply,
  type ReplyParserState,
  type Result,
} from '../../machines/ftp/protocol/index.ts';
import type { Connection, Listener } from '../transport/types.ts';
import { sideOf, type TapContext, type TapLane, type TapSide } from './context.ts';
import { HeldLines } from './held-lines.ts';

/** The control connection being watched: its id and both programs' sides. */
export interface ControlConnection {
  id: string;
  client: TapSide;
  server: TapSide;
}

/** A data connection the tap waits for on its own listener. */
interface Expected {
  listener: Listener;
  /** Who connects to the tap's listener: the client in passive mode, the server in active mode. */
  from: TapLane;
  /** Where the tap then connects: the address the rewritten line named. */
  to: Endpoint;
}

/** The line as text for a record, without its line end. */
function lineText(line: Uint8Array): string {
  return decodeUtf8Lenient(line).replace(/\r?\n$/, '');
}

export class FtpControl {
  /** Client to server: PORT and EPRT are held and rewritten. */
  readonly commands: HeldLines;
  /** Server to client: 227 and 229 replies are held and rewritten. */
  readonly replies: HeldLines;
  private replyState: ReplyParserState = REPLY_PARSER_START;
  /** Replies completed by the bytes the reply parser saw last. */
  private completed: Result<FtpReply>[] = [];
  /** The data listener waiting for its connection; a new PASV or PORT replaces it. */
  private expected: Expected | null = null;
  private closed = false;

  constructor(
    private readonly tap: TapContext,
    private readonly control: ControlConnection,
  ) {
    this.commands = new HeldLines({
      starts: ['PORT ', 'EPRT '],
      maxLineBytes: MAX_COMMAND_LINE_BYTES,
      rewrite: (line, offset) => this.command(line, offset),
    });
    this.replies = new HeldLines({
      starts: ['227 ', '229 '],
      maxLineBytes: MAX_REPLY_BYTES,
      observe: (bytes) => {
        const parsed = parseReplies(this.replyState, bytes);
        this.replyState = parsed.rest;
        this.completed = parsed.replies;
      },
      rewrite: (line, offset) => this.reply(line, offset),
    });
  }

  /** The control connection is over: a data listener nobody used goes too. */
  close(): void {
    this.closed = true;
    void this.expected?.listener.close();
    this.expected = null;
  }

  /** PORT or EPRT: the server is to connect to the tap, which connects on to the client. */
  private async command(line: Uint8Array, offset: number): Promise<Uint8Array | null> {
    const parsed = parseCommandLine(line);
    if (!parsed.ok) return null;
    const { verb, argument } = parsed.value;
    const named = verb === 'PORT' ? parsePortArgument(argument) : verb === 'EPRT' ? parseEprtArgument(argument) : null;
    // A malformed address is the server's to refuse (501): pass it on as it is.
    if (named === null || !named.ok) return null;
    // The tap's address as the server sees it: the server can reach it.
    const near = this.control.server.remote.host;
    const ipv4 = ipv4Problem(near) === null;
    if (verb === 'PORT' && !ipv4) return null; // PORT holds IPv4 only; an IPv6 server gets EPRT from any client that can
    const listener = await this.listen(near);
    if (listener === null) return null;
    const address = { host: near, port: listener.address.port };
    const text = formatCommand(verb, verb === 'PORT' ? formatPortArgument(address) : formatEprtArgument({ protocol: ipv4 ? 1 : 2, ...address }));
    if (!text.ok) {
      void listener.close();
      return null;
    }
    // The tap connects on to the client's control address, whatever host the
    // line named: RFC 2577 section 3 asks servers to refuse a PORT to a third
    // host (the "bounce attack"), and the tap must not be one either.
    this.expect({ listener, from: 'server', to: { host: this.control.client.local.host, port: named.value.port } });
    return this.rewritten('client', offset, line, text.value);
  }

  /** 227 or 229: the client is to connect to the tap, which connects on to the server. */
  private async reply(line: Uint8Array, offset: number): Promise<Uint8Array | null> {
    const reply = this.completed.at(-1);
    if (reply === undefined || !reply.ok) return null;
    const { code } = reply.value;
    const named = code === 227 ? parsePasvReply(replyText(reply.value)) : code === 229 ? parseEpsvReply(replyText(reply.value)) : null;
    if (named === null || !named.ok) return null;
    // The tap's address as the client sees it: the one it reached the tap at.
    const near = this.control.client.remote.host;
    if (code === 227 && ipv4Problem(near) !== null) return null; // a 227 holds IPv4 only
    const listener = await this.listen(near);
    if (listener === null) return null;
    const port = listener.address.port;
    const text = code === 227 ? formatReply(227, formatPasvReplyText({ host: near, port })) : formatReply(229, formatEpsvReplyText(port));
    // The tap connects on to the server's control address, not to a host a
    // 227 names: Python's ftplib (trust_server_pasv_ipv4_address = False)
    // and curl (--ftp-skip-pasv-ip, on by default) do the same.
    this.expect({ listener, from: 'client', to: { host: this.control.server.local.host, port: named.value.port } });
    return this.rewritten('server', offset, line, text);
  }

  private async listen(host: string): Promise<Listener | null> {
    if (this.closed) return null;
    try {
      return await this.tap.listen(host);
    } catch {
      // No listener, no rewrite: the data connection goes around the tap.
      return null;
    }
  }

  private rewritten(sender: TapLane, offset: number, line: Uint8Array, text: string): Uint8Array {
    const side = sender === 'client' ? this.control.client : this.control.server;
    this.tap.trace.add({
      type: 'fault',
      kind: 'rewrite',
      conn: this.control.id,
      sender,
      end: side.end,
      offset,
      size: line.length,
      from: lineText(line),
      to: text.replace(/\r\n$/, ''),
    });
    return encodeUtf8(text);
  }

  /** Wait for the data connection on `listener`, then carry it on and relay it. */
  private expect(expected: Expected): void {
    void this.expected?.listener.close();
    this.expected = expected;
    void this.carry(expected);
  }

  private async carry({ listener, from, to }: Expected): Promise<void> {
    // Only the program that was told the address may use it (vsftpd's
    // pasv_promiscuous=NO does the same): another host that connects first is reset.
    const fromHost = (from === 'client' ? this.control.client : this.control.server).local.host;
    let near: Connection | undefined;
    while (near === undefined) {
      let conn: Connection;
      try {
        conn = await listener.accept();
      } catch {
        return; // closed: replaced by a newer PASV or PORT, or the control connection ended
      }
      if (conn.remote.host === fromHost) near = conn;
      else void conn.reset();
    }
    if (this.expected?.listener === listener) this.expected = null;
    void listener.close();
    const names = { label: 'data', link: this.control.id };
    const nearSide = sideOf(near, from, 'connector');
    let far: Connection;
    try {
      far = await this.tap.connect(to);
    } catch (error) {
      await this.tap.unreachable(nearSide, error, names);
      return;
    }
    const farSide = sideOf(far, from === 'client' ? 'server' : 'client', 'acceptor');
    await this.tap.relay({ connector: nearSide, acceptor: farSide, ...names, watchFtp: false });
  }
}
