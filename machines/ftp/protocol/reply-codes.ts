/**
 * Every reply code of RFC 959 section 4.2.2, plus the ones RFC 2428 adds
 * (229, 522), each with the RFC's suggested text and its meaning in plain
 * words. RFC 2389 (FEAT, OPTS) and RFC 3659 (SIZE, MDTM, MLST, MLSD, REST
 * STREAM) reuse codes of RFC 959 (211, 213, 250, 350, 501, 550); their
 * entries say so.
 *
 * "The three digits of the reply each have a special significance. [...]
 *  The first digit denotes whether the response is good, bad or incomplete."
 *  (RFC 959 section 4.2)
 *
 * Browser-safe: no `node:` import.
 */

export interface ReplyCodeInfo {
  /** Where the code is defined. */
  readonly rfc: string;
  /** The RFC's suggested reply text (servers may word it differently). */
  readonly text: string;
  /** What it means, in plain words. */
  readonly meaning: string;
}

export const REPLY_CODES: Readonly<Record<number, ReplyCodeInfo>> = {
  110: { rfc: 'RFC 959', text: 'Restart marker reply. MARK yyyy = mmmm', meaning: 'A restart checkpoint during a block- or compressed-mode transfer.' },
  120: { rfc: 'RFC 959', text: 'Service ready in nnn minutes.', meaning: 'The server is busy; wait for the 220 that follows.' },
  125: { rfc: 'RFC 959', text: 'Data connection already open; transfer starting.', meaning: 'The data connection was open already; the transfer begins now.' },
  150: { rfc: 'RFC 959', text: 'File status okay; about to open data connection.', meaning: 'The command was accepted; the server opens (or accepts) the data connection now.' },
  200: { rfc: 'RFC 959', text: 'Command okay.', meaning: 'The command worked.' },
  202: { rfc: 'RFC 959', text: 'Command not implemented, superfluous at this site.', meaning: 'Nothing to do here, but nothing went wrong either (ALLO on most servers).' },
  211: { rfc: 'RFC 959; RFC 2389 (FEAT)', text: 'System status, or system help reply.', meaning: 'Status or help text; also the list of extensions in answer to FEAT.' },
  212: { rfc: 'RFC 959', text: 'Directory status.', meaning: 'Information about a directory (answer to STAT with a path).' },
  213: { rfc: 'RFC 959; RFC 3659 (SIZE, MDTM)', text: 'File status.', meaning: 'Information about a file: its size (SIZE) or modification time (MDTM).' },
  214: { rfc: 'RFC 959', text: 'Help message.', meaning: 'Help text meant for a person.' },
  215: { rfc: 'RFC 959', text: 'NAME system type.', meaning: 'The server names its operating system, like "UNIX Type: L8".' },
  220: { rfc: 'RFC 959', text: 'Service ready for new user.', meaning: 'The greeting: the server is ready for USER.' },
  221: { rfc: 'RFC 959', text: 'Service closing control connection.', meaning: 'Goodbye: the server closes the connection (answer to QUIT).' },
  225: { rfc: 'RFC 959', text: 'Data connection open; no transfer in progress.', meaning: 'The data connection is open and idle (answer to ABOR when nothing was running).' },
  226: { rfc: 'RFC 959', text: 'Closing data connection.', meaning: 'The transfer (or the abort) finished; the data connection is closed.' },
  227: { rfc: 'RFC 959', text: 'Entering Passive Mode (h1,h2,h3,h4,p1,p2).', meaning: 'The server listens for the data connection at this IPv4 address and port.' },
  229: { rfc: 'RFC 2428', text: 'Entering Extended Passive Mode (|||port|)', meaning: 'The server listens for the data connection on this port, at the address you are already connected to.' },
  230: { rfc: 'RFC 959', text: 'User logged in, proceed.', meaning: 'You are logged in.' },
  250: { rfc: 'RFC 959; RFC 3659 (MLST)', text: 'Requested file action okay, completed.', meaning: 'The file action (CWD, DELE, RMD, RNTO, MLST) worked.' },
  257: { rfc: 'RFC 959', text: '"PATHNAME" created.', meaning: 'A directory name, in double quotes (answer to PWD and MKD).' },
  331: { rfc: 'RFC 959', text: 'User name okay, need password.', meaning: 'Now send PASS with the password.' },
  332: { rfc: 'RFC 959', text: 'Need account for login.', meaning: 'Now send ACCT with your account.' },
  350: { rfc: 'RFC 959; RFC 3659 (REST)', text: 'Requested file action pending further information.', meaning: 'Half done: send the next command of the pair (RNTO after RNFR, RETR after REST).' },
  421: { rfc: 'RFC 959', text: 'Service not available, closing control connection.', meaning: 'The server is shutting the connection (too many users, idle too long). Try again later.' },
  425: { rfc: 'RFC 959', text: "Can't open data connection.", meaning: 'The data connection could not be made. Check PORT/PASV, firewalls and NAT.' },
  426: { rfc: 'RFC 959', text: 'Connection closed; transfer aborted.', meaning: 'The data connection broke or was aborted mid-transfer.' },
  450: { rfc: 'RFC 959', text: 'Requested file action not taken.', meaning: 'The file is busy or unavailable just now. Try again later.' },
  451: { rfc: 'RFC 959', text: 'Requested action aborted: local error in processing.', meaning: 'Something failed on the server while doing it. Try again later.' },
  452: { rfc: 'RFC 959', text: 'Requested action not taken. Insufficient storage space in system.', meaning: 'The server is out of disk space for now.' },
  500: { rfc: 'RFC 959', text: 'Syntax error, command unrecognized.', meaning: 'The server did not understand the line (unknown command, or a line too long).' },
  501: { rfc: 'RFC 959', text: 'Syntax error in parameters or arguments.', meaning: 'The command is known but its argument is wrong. Check the argument.' },
  502: { rfc: 'RFC 959', text: 'Command not implemented.', meaning: 'This server does not do that command.' },
  503: { rfc: 'RFC 959', text: 'Bad sequence of commands.', meaning: 'Right command, wrong moment (PASS before USER, RNTO without RNFR).' },
  504: { rfc: 'RFC 959', text: 'Command not implemented for that parameter.', meaning: 'The command is known but not with that parameter (TYPE E, MODE B).' },
  522: { rfc: 'RFC 2428', text: 'Network protocol not supported, use (1,2)', meaning: 'EPRT/EPSV named a network protocol the server does not speak; the list in brackets says which it does.' },
  530: { rfc: 'RFC 959', text: 'Not logged in.', meaning: 'Log in first (USER, PASS), or the login failed.' },
  532: { rfc: 'RFC 959', text: 'Need account for storing files.', meaning: 'Send ACCT before storing files.' },
  550: { rfc: 'RFC 959; RFC 3659', text: 'Requested action not taken. File unavailable.', meaning: 'No such file or directory, or no permission.' },
  551: { rfc: 'RFC 959', text: 'Requested action aborted: page type unknown.', meaning: 'The page structure of the file is not supported.' },
  552: { rfc: 'RFC 959', text: 'Requested file action aborted. Exceeded storage allocation.', meaning: 'Your storage quota is used up.' },
  553: { rfc: 'RFC 959', text: 'Requested action not taken. File name not allowed.', meaning: 'That file name is not allowed here.' },
};

/** The five reply classes of RFC 959 section 4.2, named after the first digit. */
export type ReplyClass = 'preliminary' | 'completion' | 'intermediate' | 'transient-negative' | 'permanent-negative';

const CLASSES: readonly ReplyClass[] = ['preliminary', 'completion', 'intermediate', 'transient-negative', 'permanent-negative'];

/** The function groups of the second digit (RFC 959 section 4.2). */
export type ReplyGroup = 'syntax' | 'information' | 'connections' | 'authentication' | 'unspecified' | 'file-system';

const GROUPS: readonly ReplyGroup[] = ['syntax', 'information', 'connections', 'authentication', 'unspecified', 'file-system'];

/** True for a whole number 100..599: a code whose first digit names a class. */
export function isReplyCode(code: number): boolean {
  return Number.isInteger(code) && code >= 100 && code <= 599;
}

/** The class of a reply code by its first digit; null if it is not a reply code. */
export function replyClass(code: number): ReplyClass | null {
  return isReplyCode(code) ? CLASSES[Math.floor(code / 100) - 1]! : null;
}

/** The function group of a reply code by its second digit; null for x6z..x9z or a non-code. */
export function replyGroup(code: number): ReplyGroup | null {
  return isReplyCode(code) ? (GROUPS[Math.floor(code / 10) % 10] ?? null) : null;
}

/** 1yz: "The requested action is being initiated; expect another reply before proceeding." */
export function isPreliminary(code: number): boolean {
  return replyClass(code) === 'preliminary';
}

/** 2yz: "The requested action has been successfully completed." */
export function isCompletion(code: number): boolean {
  return replyClass(code) === 'completion';
}

/** 3yz: accepted, but "held in abeyance, pending receipt of further information". */
export function isIntermediate(code: number): boolean {
  return replyClass(code) === 'intermediate';
}

/** 4yz: not done, but "the error condition is temporary and the action may be requested again". */
export function isTransientNegative(code: number): boolean {
  return replyClass(code) === 'transient-negative';
}

/** 5yz: not done, and repeating the same request will not help. */
export function isPermanentNegative(code: number): boolean {
  return replyClass(code) === 'permanent-negative';
}

/** 4yz or 5yz: the command failed. */
export function isNegative(code: number): boolean {
  return isTransientNegative(code) || isPermanentNegative(code);
}

/** What a code means in plain words; codes outside the table get their class's meaning. */
export function describeReplyCode(code: number): string {
  const known = REPLY_CODES[code];
  if (known) return known.meaning;
  switch (replyClass(code)) {
    case 'preliminary':
      return 'Started; another reply will follow.';
    case 'completion':
      return 'Done.';
    case 'intermediate':
      return 'Accepted; the server waits for the next command of the sequence.';
    case 'transient-negative':
      return 'Failed for now; the same command may work later.';
    case 'permanent-negative':
      return 'Failed; repeating the same command will not help.';
    default:
      return 'Not an FTP reply code (those are 100 to 599).';
  }
}
