/**
 * What one command line means, given the session so far: the first step of
 * the answer and the session state after it. Pure, so that every command's
 * replies are tested as a table (test/ftp-server/decide.test.ts).
 *
 * The reply codes follow RFC 959 section 4.2 and its successors:
 *   500  the line is not a command we know (or cannot be read)
 *   501  a command we know, with an argument we cannot use
 *   502  a command we know and do not do (ACCT, SITE)
 *   503  right command, wrong moment (PASS before USER, RNTO without RNFR)
 *   504  a parameter we do not support (TYPE E, MODE B, a bounce address)
 *   530  not logged in
 *
 * Pure: no `node:` import.
 */
import type { FtpCommand } from '../protocol/command-line.ts';
import { parseEprtArgument, parseEpsvArgument } from '../protocol/eprt-epsv.ts';
import type { FtpProtocolError } from '../protocol/errors.ts';
import { resolveJailedPath } from '../protocol/path-jail.ts';
import { parsePortArgument } from '../protocol/port-pasv.ts';
import { formatRestReplyText, parseRestArgument } from '../protocol/size-rest.ts';
import { ANONYMOUS_USERS } from './config.ts';
import {
  FEAT_REPLY,
  HELP_REPLY,
  KNOWN_VERBS,
  NO_DATA_SETUP,
  NOT_DONE_VERBS,
  NOT_LOGGED_IN,
  pathReply,
  READ_ONLY,
  reply,
} from './replies.ts';
import { FRESH_SESSION, folderPath, isIpv6, plainHost, type Decision, type FtpSessionState, type Situation, type Step } from './session-state.ts';

/** Commands answered before login (RFC 959 lists 530 for the rest). */
const BEFORE_LOGIN = new Set(['USER', 'PASS', 'QUIT', 'REIN', 'SYST', 'FEAT', 'HELP', 'NOOP', 'OPTS', 'ACCT', 'STAT']);
/** Commands that change the served folder: refused on a read-only server. */
const WRITES = new Set(['STOR', 'STOU', 'APPE', 'DELE', 'MKD', 'XMKD', 'RMD', 'XRMD', 'RNFR', 'RNTO']);
/** Commands after which a REST offset still waits for its transfer (set-up commands). */
const KEEPS_REST = new Set(['REST', 'TYPE', 'PASV', 'EPSV', 'PORT', 'EPRT', 'NOOP', 'MODE', 'STRU', 'SIZE', 'MDTM']);
/** Transfer commands: they use the data connection. */
export const TRANSFER_VERBS = new Set(['RETR', 'STOR', 'STOU', 'APPE', 'LIST', 'NLST', 'MLSD']);

/** The lowest port PORT/EPRT may name: below it are the well-known services an FTP bounce attacks (RFC 2577 section 3). */
export const LOWEST_ACTIVE_PORT = 1024;

const same = (state: FtpSessionState, step: Step): Decision => ({ step, state });
const say = (state: FtpSessionState, code: number, text: string | readonly string[], close = false): Decision =>
  same(state, { kind: 'reply', text: reply(code, text), ...(close ? { close } : {}) });

/** The reply to a line that could not be parsed (from the core's error value). */
export function refuseLine(error: FtpProtocolError): string {
  return reply(error.reply ?? 500, error.message);
}

/** Decide the first step of the answer to `command`. */
export function decide(situation: Situation, command: FtpCommand): Decision {
  const verb = command.verb;
  let state = situation.state;
  // RNFR must be followed at once by RNTO (RFC 959 section 4.1.3); REST by its transfer.
  if (state.renameFrom !== null && verb !== 'RNTO') state = { ...state, renameFrom: null };
  if (state.rest !== 0n && !KEEPS_REST.has(verb) && !TRANSFER_VERBS.has(verb)) state = { ...state, rest: 0n };
  const s = { ...situation, state };

  if (!state.loggedIn && !BEFORE_LOGIN.has(verb)) {
    return KNOWN_VERBS.includes(verb as never) ? same(state, { kind: 'reply', text: NOT_LOGGED_IN }) : unknown(state, verb);
  }
  if (WRITES.has(verb) && !s.policy.write) return same(state, { kind: 'reply', text: READ_ONLY });

  switch (verb) {
    case 'USER':
      return user(s, command.argument);
    case 'PASS':
      return pass(s, command.argument);
    case 'ACCT':
      return say(state, 502, 'ACCT is not needed here: USER and PASS are enough.');
    case 'QUIT':
      return say(state, 221, 'Goodbye.', true);
    case 'REIN':
      return say({ ...FRESH_SESSION, data: state.data }, 220, 'Session reset: send USER and PASS to log in again.');
    case 'SYST':
      return say(state, 215, 'UNIX Type: L8');
    case 'FEAT':
      return same(state, { kind: 'reply', text: FEAT_REPLY });
    case 'OPTS':
      return opts(state, command.argument);
    case 'HELP':
      return same(state, { kind: 'reply', text: HELP_REPLY });
    case 'NOOP':
      return say(state, 200, 'NOOP ok.');
    case 'ALLO':
      return say(state, 202, 'No storage allocation is needed here.');
    case 'STAT':
      return stat(s, command.argument);
    case 'PWD':
    case 'XPWD':
      return same(state, { kind: 'reply', text: pathReply(state.cwd, 'is the current directory.') });
    case 'CWD':
    case 'XCWD':
      return withPath(s, command.argument, 'CWD', (path) => fileStep(state, 'stat', path, { verb: 'CWD', path }));
    case 'CDUP':
    case 'XCUP':
      return withPath(s, '..', 'CDUP', (path) => fileStep(state, 'stat', path, { verb: 'CWD', path }));
    case 'MKD':
    case 'XMKD':
      return withPath(s, command.argument, 'MKD', (path) => fileStep(state, 'makeFolder', path, { verb: 'MKD', path }), true);
    case 'RMD':
    case 'XRMD':
      return withPath(s, command.argument, 'RMD', (path) => fileStep(state, 'removeFolder', path, { verb: 'RMD', path }), true);
    case 'DELE':
      return withPath(s, command.argument, 'DELE', (path) => fileStep(state, 'stat', path, { verb: 'DELE', path }), true);
    case 'RNFR':
      return withPath(s, command.argument, 'RNFR', (path) => fileStep(state, 'stat', path, { verb: 'RNFR', path }), true);
    case 'RNTO':
      if (situation.state.renameFrom === null) return say(state, 503, 'Send RNFR with the old name first, then RNTO at once.');
      return withPath(s, command.argument, 'RNTO', (path) => {
        const from = situation.state.renameFrom!;
        const next = { ...state, renameFrom: null };
        return same(next, { kind: 'file', call: 'rename', input: { from: folderPath(from), to: folderPath(path) }, next: { verb: 'RNTO', path, extra: from } });
      }, true);
    case 'SIZE':
    case 'MDTM':
      return withPath(s, command.argument, verb, (path) => fileStep(state, 'stat', path, { verb, path }), true);
    case 'MLST':
      return withPath(s, command.argument, 'MLST', (path) => fileStep(state, 'stat', path, { verb: 'MLST', path }));
    case 'TYPE':
      return type(state, command.argument);
    case 'MODE':
      return oneLetter(state, command.argument, 'MODE', 'S', 'BC', 'stream');
    case 'STRU':
      return oneLetter(state, command.argument, 'STRU', 'F', 'RP', 'file');
    case 'REST': {
      const offset = parseRestArgument(command.argument);
      if (!offset.ok) return say(state, 501, offset.error.message);
      return say({ ...state, rest: offset.value }, 350, formatRestReplyText(offset.value));
    }
    case 'PORT':
    case 'EPRT':
      return active(s, verb, command.argument);
    case 'PASV':
      if (state.epsvAll) return say(state, 503, 'PASV is refused after EPSV ALL (RFC 2428 section 4): use EPSV.');
      if (isIpv6(s.control)) return say(state, 425, "Can't open a passive IPv4 port on an IPv6 connection: use EPSV (RFC 2428).");
      return same(state, { kind: 'passive', extended: false });
    case 'EPSV':
      return epsv(s, command.argument);
    case 'ABOR':
      return same(state, { kind: 'abortIdle' });
    case 'RETR':
    case 'STOR':
    case 'APPE':
    case 'STOU':
    case 'LIST':
    case 'NLST':
    case 'MLSD':
      return transfer(s, verb, command.argument);
    default:
      if (NOT_DONE_VERBS.has(verb)) return say(state, 502, `${verb} is not implemented on this server.`);
      return unknown(state, verb);
  }
}

function unknown(state: FtpSessionState, verb: string): Decision {
  return say(state, 500, `${verb} is not a command this server knows. HELP lists the ones it does.`);
}

function fileStep(state: FtpSessionState, call: 'stat' | 'makeFolder' | 'removeFolder', path: string, next: { verb: string; path: string; extra?: string }): Decision {
  return same(state, { kind: 'file', call, input: { path: folderPath(path) }, next });
}

/** Resolve the argument inside the jail, then go on; a name that is not allowed is 553, a missing one 501. */
function withPath(s: Situation, argument: string, verb: string, then: (path: string) => Decision, required = false): Decision {
  if (required && argument === '') return say(s.state, 501, `${verb} needs a path: ${verb} <name>.`);
  const resolved = resolveJailedPath(s.state.cwd, argument);
  if (!resolved.ok) return say(s.state, resolved.error.reply ?? 553, resolved.error.message);
  return then(resolved.value.path);
}

function user(s: Situation, name: string): Decision {
  if (name === '') return say(s.state, 501, 'USER needs a name: USER <name>.');
  const anonymous = ANONYMOUS_USERS.includes(name.toLowerCase());
  // RFC 959: USER starts a new login ("a new USER command ... flushes" the old one's state).
  const state: FtpSessionState = { ...s.state, user: name, loggedIn: false, anonymous: false, cwd: '/', rest: 0n, renameFrom: null };
  // The same 331 for every name, known or not: the answer must not tell which names exist.
  const text = anonymous && s.policy.anonymous ? 'Anonymous login ok: send your e-mail address as the password.' : `Password required for ${name}.`;
  return say(state, 331, text);
}

function pass(s: Situation, password: string): Decision {
  const state = s.state;
  if (state.loggedIn) return say(state, 503, 'You are already logged in.');
  if (state.user === null) return say(state, 503, 'Send USER first, then PASS.');
  const anonymous = ANONYMOUS_USERS.includes(state.user.toLowerCase());
  const ok = anonymous ? s.policy.anonymous : s.policy.accounts.check(state.user, password);
  if (ok) return say({ ...state, loggedIn: true, anonymous, failedLogins: 0 }, 230, anonymous ? 'Anonymous user logged in, read-only unless the server allows writes.' : `User ${state.user} logged in.`);
  const failedLogins = state.failedLogins + 1;
  const failed = { ...state, user: null, failedLogins };
  if (failedLogins >= s.policy.maxFailedLogins) {
    return say(failed, 421, `Login incorrect ${failedLogins} times: closing the connection (RFC 2577 section 3).`, true);
  }
  // RFC 2577 section 3: a delay before answering a wrong password slows a guesser down; it grows with each failure.
  return same(failed, { kind: 'delayed', text: reply(530, 'Login incorrect.'), ms: s.policy.loginDelayStepMs * failedLogins });
}

function opts(state: FtpSessionState, argument: string): Decision {
  const [option = '', ...rest] = argument.split(' ');
  const value = rest.join(' ').toUpperCase();
  switch (option.toUpperCase()) {
    case 'UTF8':
      // RFC 2640: names are UTF-8 already; OFF is not a mode we have.
      return value === 'ON' || value === '' ? say(state, 200, 'UTF8 mode is always on.') : say(state, 501, 'Only OPTS UTF8 ON is supported: names are always UTF-8.');
    case 'MLST':
      // RFC 3659 section 7.9: the reply lists the facts now selected; we always give ours.
      return say(state, 200, 'MLST OPTS type;size;modify;perm;UNIX.mode;');
    default:
      return say(state, 501, `OPTS ${option} is not an option this server has (it has UTF8 and MLST).`);
  }
}

function stat(s: Situation, argument: string): Decision {
  const state = s.state;
  if (argument === '') {
    const data = state.data.kind === 'none' ? 'no data connection set up' : state.data.kind === 'active' ? `active mode to ${state.data.host} port ${state.data.port}` : 'passive mode';
    return say(state, 211, [
      'Sockstep FTP server status:',
      ` Connected from ${plainHost(s.control.remote.host)}`,
      ` ${state.loggedIn ? `Logged in as ${state.user ?? 'anonymous'}` : 'Not logged in'}`,
      ` TYPE: ${state.ascii ? 'ASCII' : 'BINARY'}; STRUcture: File; transfer MODE: Stream`,
      ` Data: ${data}`,
      'End of status.',
    ]);
  }
  if (!state.loggedIn) return same(state, { kind: 'reply', text: NOT_LOGGED_IN });
  return withPath(s, listArgument(argument), 'STAT', (path) => fileStep(state, 'stat', path, { verb: 'STAT', path }));
}

/** LIST and STAT take `ls` options (-l, -a) from many clients: ignore them, as vsftpd does. */
function listArgument(argument: string): string {
  return argument.startsWith('-') ? argument.replace(/^(-\S*\s*)+/, '') : argument;
}

function type(state: FtpSessionState, argument: string): Decision {
  const words = argument.toUpperCase().split(' ').filter((w) => w !== '');
  const [code, format] = words;
  if (code === 'I' && words.length === 1) return say({ ...state, ascii: false }, 200, 'Type set to I (binary).');
  if (code === 'L' && format === '8' && words.length === 2) return say({ ...state, ascii: false }, 200, 'Type set to L 8 (binary).');
  if (code === 'A' && (format === undefined || format === 'N') && words.length <= 2) return say({ ...state, ascii: true }, 200, 'Type set to A (ASCII: LF and CR LF are converted).');
  if (code === 'A' || code === 'E' || code === 'L') return say(state, 504, `TYPE ${words.join(' ')} is not supported: use TYPE I (binary) or TYPE A (text).`);
  return say(state, 501, `TYPE ${argument} is not a type: use TYPE I (binary) or TYPE A (text).`);
}

function oneLetter(state: FtpSessionState, argument: string, verb: string, ours: string, others: string, name: string): Decision {
  const letter = argument.trim().toUpperCase();
  if (letter === ours) return say(state, 200, `${verb} set to ${ours} (${name}).`);
  if (letter.length === 1 && others.includes(letter)) return say(state, 504, `${verb} ${letter} is not supported: only ${verb} ${ours}.`);
  return say(state, 501, `${verb} takes one letter; this server supports ${verb} ${ours}.`);
}

/** PORT and EPRT: where to connect for the next transfer, checked against an FTP bounce (RFC 2577 section 3). */
function active(s: Situation, verb: 'PORT' | 'EPRT', argument: string): Decision {
  const state = s.state;
  if (state.epsvAll) return say(state, 503, `${verb} is refused after EPSV ALL (RFC 2428 section 4): use EPSV.`);
  const ipv6 = isIpv6(s.control);
  let host: string;
  let port: number;
  if (verb === 'PORT') {
    if (ipv6) return say(state, 522, 'PORT is IPv4 only and this connection is IPv6: use EPRT |2|address|port| (RFC 2428), use (2).');
    const parsed = parsePortArgument(argument);
    if (!parsed.ok) return say(state, parsed.error.reply ?? 501, parsed.error.message);
    ({ host, port } = parsed.value);
  } else {
    const parsed = parseEprtArgument(argument);
    if (!parsed.ok) return say(state, parsed.error.reply ?? 501, parsed.error.message);
    if ((parsed.value.protocol === 2) !== ipv6) {
      return say(state, 522, `Network protocol not supported on this connection, use (${ipv6 ? 2 : 1}).`);
    }
    ({ host, port } = parsed.value);
  }
  // The unspecified address ('::', '0.0.0.0': lftp sends it for a data socket bound to every
  // address) can only mean the client itself: we connect to the control connection's peer.
  if (host === '::' || host === '0.0.0.0' || expand(host) === '0:0:0:0:0:0:0:0') host = s.control.remote.host;
  // RFC 2577 section 3: "the server [should] not open data connections to a host other than the one the control connection came from" ...
  const from = plainHost(s.control.remote.host);
  if (!sameHost(host, s.control.remote.host)) {
    return same(state, {
      kind: 'reply',
      text: reply(504, `${verb} to ${host} refused: the data connection may only go to your own address (${from}). An FTP bounce is not allowed.`),
      log: `refused ${verb} to ${host} from ${from}: an FTP bounce (RFC 2577)`,
    });
  }
  // ... "and [should] not connect to privileged ports" (well-known services a bounce would attack).
  if (port < LOWEST_ACTIVE_PORT) {
    return same(state, {
      kind: 'reply',
      text: reply(504, `${verb} to port ${port} refused: ports below ${LOWEST_ACTIVE_PORT} are not used for data connections.`),
      log: `refused ${verb} to port ${port} from ${from}: a privileged port, as an FTP bounce would use (RFC 2577)`,
    });
  }
  return say({ ...state, data: { kind: 'active', host: plainHost(s.control.remote.host), port } }, 200, `${verb} command successful: I will connect to port ${port} for the next transfer.`);
}

/** Two addresses that name the same host (an IPv6 one in any spelling of its zeros). */
export function sameHost(a: string, b: string): boolean {
  return expand(plainHost(a)) === expand(plainHost(b));
}

function expand(host: string): string {
  if (!host.includes(':')) return host;
  const [head = '', tail = ''] = host.toLowerCase().split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = host.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

function epsv(s: Situation, argument: string): Decision {
  const state = s.state;
  const parsed = parseEpsvArgument(argument);
  if (!parsed.ok) return say(state, parsed.error.reply ?? 501, parsed.error.message);
  const ipv6 = isIpv6(s.control);
  if (parsed.value.kind === 'all') return say({ ...state, epsvAll: true }, 200, 'EPSV ALL ok: from now on only EPSV sets up data connections.');
  if (parsed.value.kind === 'protocol' && (parsed.value.protocol === 2) !== ipv6) {
    return say(state, 522, `Network protocol not supported on this connection, use (${ipv6 ? 2 : 1}).`);
  }
  return same(state, { kind: 'passive', extended: true });
}

function transfer(s: Situation, verb: string, argument: string): Decision {
  const state = s.state;
  if (state.data.kind === 'none') return same({ ...state, rest: 0n }, { kind: 'reply', text: NO_DATA_SETUP });
  const listing = verb === 'LIST' || verb === 'NLST' || verb === 'MLSD';
  if (listing) {
    return withPath(s, verb === 'MLSD' ? argument : listArgument(argument), verb, (path) =>
      same({ ...state, rest: 0n }, { kind: 'file', call: 'stat', input: { path: folderPath(path) }, next: { verb, path, extra: verb } }),
    );
  }
  if (verb === 'STOU') {
    const base = argument === '' ? 'upload' : argument;
    return withPath(s, base, 'STOU', (path) => {
      const name = `${path}.${state.uniqueCount + 1}`;
      const next = { ...state, rest: 0n, uniqueCount: state.uniqueCount + 1 };
      return same(next, { kind: 'file', call: 'openFile', input: { path: folderPath(name), mode: 'new' }, next: { verb, path: name } });
    });
  }
  return withPath(s, argument, verb, (path) => {
    const rest = state.rest;
    const next = { ...state, rest: 0n };
    if (verb === 'APPE' && rest !== 0n) return say(next, 550, 'APPE always writes at the end of the file: send REST 0 (or no REST) before APPE.');
    const mode = verb === 'RETR' ? 'read' : verb === 'APPE' ? 'append' : rest !== 0n ? 'update' : 'replace';
    const input = { path: folderPath(path), mode, ...(rest !== 0n ? { offset: rest } : {}) };
    return same(next, { kind: 'file', call: 'openFile', input, next: { verb, path } });
  }, true);
}
