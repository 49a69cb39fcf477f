/**
 * The server's replies, formatted once with the core's formatReply (so a
 * line break in a name can never end a reply early) and worded so that a
 * person reading them in a client knows what happened and what to try.
 *
 * Pure: no `node:` import.
 */
import { formatReply } from '../protocol/reply.ts';
import { quotePathname } from '../protocol/pathname-reply.ts';
import { FILE_ERROR_HINTS } from '../../file-calls.ts';

/** A reply as the text to send (one line or several). */
export function reply(code: number, text: string | readonly string[]): string {
  return formatReply(code, text);
}

/** 257 "PATH" text: PWD and MKD (RFC 959 Appendix II: inner quotes doubled). */
export function pathReply(path: string, text: string): string {
  return reply(257, `${quotePathname(path)} ${text}`);
}

/** The commands we answer, for HELP and the 500 of an unknown one. */
export const KNOWN_VERBS = [
  'ABOR', 'ACCT', 'ALLO', 'APPE', 'CDUP', 'CWD', 'DELE', 'EPRT', 'EPSV', 'FEAT', 'HELP', 'LIST', 'MDTM', 'MKD',
  'MLSD', 'MLST', 'MODE', 'NLST', 'NOOP', 'OPTS', 'PASS', 'PASV', 'PORT', 'PWD', 'QUIT', 'REIN', 'REST', 'RETR',
  'RMD', 'RNFR', 'RNTO', 'SITE', 'SIZE', 'STAT', 'STOR', 'STOU', 'STRU', 'SYST', 'TYPE', 'USER',
  'XCUP', 'XCWD', 'XMKD', 'XPWD', 'XRMD',
] as const;

/** Commands a server may know and refuse with 502 (RFC 959 section 4.1, RFC 2228, RFC 2389...). */
export const NOT_DONE_VERBS = new Set(['ACCT', 'SITE', 'SMNT', 'AUTH', 'ADAT', 'PROT', 'PBSZ', 'CCC', 'MIC', 'CONF', 'ENC', 'LANG', 'MFMT', 'MFCT', 'MFF', 'HOST', 'XSEM', 'XSEN']);

/**
 * FEAT (RFC 2389 section 3.2): each feature on its own line, starting with
 * a space. MLST lists its facts, the ones we give marked with '*'
 * (RFC 3659 section 7.9).
 */
export const FEAT_REPLY = reply(211, [
  'Features:',
  ' EPRT',
  ' EPSV',
  ' MDTM',
  ' MLST type*;size*;modify*;perm*;UNIX.mode*;',
  ' PASV',
  ' REST STREAM',
  ' SIZE',
  ' TVFS',
  ' UTF8',
  'End',
]);

export const HELP_REPLY = reply(214, [
  'The following commands are recognized:',
  ...chunks(KNOWN_VERBS, 8).map((row) => ` ${row.map((v) => v.padEnd(5)).join('')}`),
  'Help OK.',
]);

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The reply to a file call that failed, from its error code. */
export function fileErrorReply(code: string, what: string): string {
  switch (code) {
    case 'ENOENT':
      return reply(550, `${what}: no such file or folder.`);
    case 'EOUTSIDE':
      return reply(550, `${what}: that path (or a link in it) leads outside the served folder, so it is refused.`);
    case 'EACCES':
    case 'EPERM':
      return reply(550, `${what}: permission denied.`);
    case 'EEXIST':
      return reply(550, `${what}: something by that name is already there.`);
    case 'ENOTDIR':
      return reply(550, `${what}: a part of that path is a file, not a folder.`);
    case 'EISDIR':
      return reply(550, `${what}: that is a folder, not a file.`);
    case 'ENOTEMPTY':
      return reply(550, `${what}: the folder is not empty; remove what is in it first.`);
    case 'EINVAL':
      return reply(553, `${what}: that name is not allowed.`);
    case 'ENOSPC':
      return reply(452, `${what}: the disk is full.`);
    default: {
      const hint = (FILE_ERROR_HINTS as Record<string, string | undefined>)[code];
      return reply(451, `${what}: the server could not do it (${code})${hint === undefined ? '' : `: ${hint}`}`);
    }
  }
}

export const NOT_LOGGED_IN = reply(530, 'Please log in with USER and PASS first.');
export const READ_ONLY = reply(550, 'Permission denied: this server is read-only (start it with --write to allow changes).');
export const NO_DATA_SETUP = reply(425, 'Use PORT, EPRT, PASV or EPSV first: no data connection is set up.');
