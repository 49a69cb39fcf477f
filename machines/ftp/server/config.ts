/**
 * What an FTP server is told when it starts, and its named limits. The
 * defaults are vsftpd's (and RFC 2577's advice) where those have one:
 * anonymous login off, read-only, a few failed logins per connection,
 * idle connections closed.
 *
 * Every limit is one constant, used by every check that enforces it, and
 * tested at the limit and one past it (test/ftp-server/limits.test.ts).
 *
 * Pure: no `node:` import.
 */

/** Control connections at once (vsftpd's max_clients is 0, "no limit"; we pick one). */
export const MAX_CLIENTS = 2000;
/** Control connections at once from one address (vsftpd's max_per_ip). */
export const MAX_PER_ADDRESS = 1000;
/**
 * Failed PASS commands on one connection before it is closed with 421
 * (vsftpd's max_login_fails is 3). RFC 2577 section 3: "the server limit
 * the number of attempts that can be made at sending a correct password".
 */
export const MAX_FAILED_LOGINS = 3;
/**
 * The delay before the answer to a failed PASS grows by this much with
 * each failure (vsftpd's delay_failed_login is 1 s). RFC 2577 section 3:
 * "the server may impose a 5 second delay before replying to an invalid
 * 'PASS' command".
 */
export const LOGIN_DELAY_STEP_MS = 1000;
/** No command for this long: 421 and the control connection is closed (vsftpd's idle_session_timeout, 300 s). */
export const IDLE_TIMEOUT_MS = 300_000;
/**
 * A data connection that does not come (passive), cannot be made (active)
 * or stalls for this long is given up (vsftpd's data_connection_timeout is
 * 300 s; its connect_timeout 60 s).
 */
export const DATA_TIMEOUT_MS = 60_000;
/**
 * Control connections that may wait to be accepted (listen()'s backlog).
 * 300 clients connecting at once overflow a backlog of 128: the kernel drops
 * the SYNs past it and each client retries one, then two seconds later (a
 * whole second lost, measured here). Linux caps it at net.core.somaxconn
 * (4096 here).
 */
export const LISTEN_BACKLOG = 4096;
/** How much of the control connection one recv asks for. */
export const CONTROL_RECV_BYTES = 8192;

/**
 * Who may log in. The password check is a function, never a table in the
 * input: a machine's input is recorded in the trace (the `xstate.init`
 * event), and functions are not, so no password reaches it that way.
 */
export interface Accounts {
  /** True when `user` may log in with `password`. */
  check(user: string, password: string): boolean;
}

/** Accounts from 'name:password' pairs; the pairs stay inside the closure. */
export function accountsOf(pairs: readonly { user: string; password: string }[]): Accounts {
  const table = new Map(pairs.map((p) => [p.user, p.password]));
  return {
    check: (user, password) => {
      const expected = table.get(user);
      return expected !== undefined && constantTimeEqual(expected, password);
    },
  };
}

/** Compare two strings in time that depends on their lengths only, not on where they differ. */
function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}

/** The names anonymous login accepts (RFC 1635 section 2: "anonymous", and "ftp" by convention). */
export const ANONYMOUS_USERS: readonly string[] = ['anonymous', 'ftp'];

export interface ServerPolicy {
  accounts: Accounts;
  /** Anonymous login (USER anonymous, any password). Default off. */
  anonymous: boolean;
  /** STOR, APPE, STOU, DELE, MKD, RMD, RNFR/RNTO allowed. Default off (read-only). */
  write: boolean;
  /** Passive data ports to listen on, both included; null: any free port. */
  passivePorts: { first: number; last: number } | null;
  maxFailedLogins: number;
  loginDelayStepMs: number;
  idleTimeoutMs: number;
  dataTimeoutMs: number;
  /** How the server names itself in the greeting. */
  banner: string;
}

export const DEFAULT_POLICY: ServerPolicy = {
  accounts: accountsOf([]),
  anonymous: false,
  write: false,
  passivePorts: null,
  maxFailedLogins: MAX_FAILED_LOGINS,
  loginDelayStepMs: LOGIN_DELAY_STEP_MS,
  idleTimeoutMs: IDLE_TIMEOUT_MS,
  dataTimeoutMs: DATA_TIMEOUT_MS,
  banner: 'Sockstep FTP server ready.',
};

/** A policy with some fields given, the rest defaulted. */
export function policyOf(given: Partial<ServerPolicy> = {}): ServerPolicy {
  return { ...DEFAULT_POLICY, ...given };
}
