/**
 * What one FTP session remembers between commands, and the steps the
 * session machine takes to answer one command. The machine (session.ts)
 * is a loop that carries out steps; what each command means is decided
 * by pure functions (decide.ts, resume.ts) over this state, so every
 * command's replies are tested without a socket or a timer.
 *
 *   command line ──decide──▶ step ──(file call)──resume──▶ step ... ──▶ reply | transfer | passive
 *
 * Pure: no `node:` import.
 */
import type { FileCallName } from '../../file-calls.ts';
import type { Endpoint } from '../../socket-calls.ts';
import type { TransferDirection } from '../../transfer-calls.ts';
import type { ServerPolicy } from './config.ts';

/** Where the next data connection comes from. */
export type DataSetup =
  | { kind: 'none' }
  /** PORT / EPRT: we connect to the client's address when a transfer starts. */
  | { kind: 'active'; host: string; port: number }
  /** PASV / EPSV: a data channel child listens (its actor id). */
  | { kind: 'passive'; child: string };

export interface FtpSessionState {
  /** The name given with USER (before and after PASS). */
  user: string | null;
  loggedIn: boolean;
  /** Logged in as an anonymous user. */
  anonymous: boolean;
  failedLogins: number;
  /** The current directory, a virtual path inside the served root: '/', '/pub'. */
  cwd: string;
  /** TYPE A (true) or TYPE I (false). */
  ascii: boolean;
  /** REST offset for the next transfer; 0n for none. */
  rest: bigint;
  /** RNFR's path (virtual), waiting for RNTO. */
  renameFrom: string | null;
  data: DataSetup;
  /** EPSV ALL was sent: only EPSV may set up data connections from now on (RFC 2428 section 4). */
  epsvAll: boolean;
  /** STOU names made so far, to make the next one unique. */
  uniqueCount: number;
}

export const FRESH_SESSION: FtpSessionState = {
  user: null,
  loggedIn: false,
  anonymous: false,
  failedLogins: 0,
  cwd: '/',
  ascii: false,
  rest: 0n,
  renameFrom: null,
  data: { kind: 'none' },
  epsvAll: false,
  uniqueCount: 0,
};

/** The control connection, as the session sees it. */
export interface ControlInfo {
  conn: string;
  local: Endpoint;
  remote: Endpoint;
}

/** What a command needs to be decided: the session so far, the connection and the server's policy. */
export interface Situation {
  state: FtpSessionState;
  control: ControlInfo;
  policy: ServerPolicy;
  /** Milliseconds since 1970: listings show a recent date with its time, an old one with its year. */
  now: number;
}

/** A transfer to run on the data connection. */
export interface TransferPlan {
  /** The command, for messages. */
  verb: string;
  direction: TransferDirection;
  /** The open file (a handle from openFile); absent for a listing. */
  file?: string;
  /** The listing's bytes, when there is no file. */
  bytes?: Uint8Array;
  /** The file's path (relative to the served folder), for the trace. */
  path?: string;
  ascii: boolean;
  /** The 150 reply's text. */
  mark: string;
  /** The 226 reply's text. */
  done: string;
}

/** What a file call's result is needed for: the command to finish, and what it carries along. */
export interface Next {
  verb: string;
  /** The virtual path the command named. */
  path: string;
  /** More the command carries to the next step (the listing kind, a second path). */
  extra?: string;
}

/** One step of answering a command. */
export type Step =
  /** Send this reply (complete, with its CRLFs); then close the connection with `close`; print `log` (a refusal worth logging). */
  | { kind: 'reply'; text: string; close?: boolean; log?: string }
  /** Wait `ms`, then send the reply (a failed login). */
  | { kind: 'delayed'; text: string; ms: number; close?: boolean }
  /** Make a file call, then resume the command with its result. */
  | { kind: 'file'; call: FileCallName; input: Record<string, unknown>; next: Next }
  /** Start a passive data channel; answer with its port. */
  | { kind: 'passive'; extended: boolean }
  /** Run a transfer. */
  | { kind: 'transfer'; plan: TransferPlan }
  /** ABOR with no transfer running: close any data channel, answer. */
  | { kind: 'abortIdle' };

/** A decision: the step, and the session state from now on. */
export interface Decision {
  step: Step;
  state: FtpSessionState;
}

/** An address without the IPv4-mapped prefix: '::ffff:127.0.0.1' is 127.0.0.1. */
export function plainHost(host: string): string {
  return host.toLowerCase().startsWith('::ffff:') && host.includes('.') ? host.slice(7) : host;
}

/** True when the control connection runs over IPv6 (an IPv4-mapped address counts as IPv4). */
export function isIpv6(control: ControlInfo): boolean {
  return plainHost(control.local.host).includes(':');
}

/** The path inside the served folder for a virtual path: '/' is '.', '/pub/a' is 'pub/a'. */
export function folderPath(virtual: string): string {
  const trimmed = virtual.replace(/^\/+/, '');
  return trimmed === '' ? '.' : trimmed;
}
