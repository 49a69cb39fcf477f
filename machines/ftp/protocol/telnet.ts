/**
 * The little of Telnet (RFC 854) that reaches an FTP server.
 *
 * RFC 959 section 4.1.3 recommends that a client get a busy server's
 * attention before ABOR (or STAT, QUIT) like this:
 *
 *   "1. User system inserts the Telnet "Interrupt Process" (IP) signal
 *       in the Telnet stream.
 *    2. User system sends the Telnet "Synch" signal.
 *    3. User system inserts the command (e.g., ABOR) in the Telnet stream.
 *    4. Server PI, after receiving "IP", scans the Telnet stream for
 *       EXACTLY ONE FTP command."
 *
 * RFC 854 sends the Synch's DM as TCP urgent data: "The Synch is sent via
 * the TCP send operation with the Urgent flag set and the DM as the last
 * (or only) data octet."
 *
 *   FF F4    FF F2    41 42 4F 52 0D 0A        RFC form: DM is the urgent byte
 *   IAC IP   IAC DM   A  B  O  R  CR LF
 *
 * BSD-derived clients (netkit and inetutils ftp, tnftp) send the same bytes
 * but mark another one urgent: "send IAC in urgent mode instead of DM
 * because 4.3BSD places oob mark after urgent byte rather than before as is
 * protocol now". They send IAC IP IAC with MSG_OOB, which makes the SECOND
 * IAC the urgent byte, then "DM ABOR CR LF" as ordinary data.
 *
 * A socket that does not read urgent data inline (Linux by default; Node
 * cannot set SO_OOBINLINE) drops the urgent byte, so a server reads:
 *
 *   RFC form:  FF F4 FF 41 42 4F 52 0D 0A    IAC IP, a lone IAC, ABOR
 *   BSD form:  FF F4 F2 41 42 4F 52 0D 0A    IAC IP, a bare DM, ABOR
 *
 * All three must parse as an urgent ABOR. RFC 854 gives the byte F2 a
 * meaning only after IAC; we also take a bare F2 as the Synch's DM right
 * after IAC IP, or first on the line (where a runtime that handled IAC IP
 * itself leaves it). No command can begin with that byte, so no command
 * loses anything by it.
 *
 * Browser-safe: no `node:` import.
 */

const IAC = 0xff; // Interpret As Command
const SE = 0xf0; // end of subnegotiation
const DM = 0xf2; // Data Mark: the inline half of a Synch
const IP = 0xf4; // Interrupt Process
const SB = 0xfa; // start of subnegotiation
const WILL = 0xfb;
const DONT = 0xfe;
/** Lowest Telnet command byte (SE); below it, a byte after IAC is plain data. */
const FIRST_COMMAND = SE;

export interface TelnetStripped {
  /** The line without Telnet commands; IAC IAC became one 0xFF byte. */
  readonly bytes: Uint8Array;
  /** An IP or a Synch (IAC DM, a bare DM after IAC IP, or a lone IAC whose DM went out of band) was seen. */
  readonly urgent: boolean;
}

/**
 * Remove Telnet commands from one command line and say whether it carried
 * the IP/Synch signals that precede an urgent command like ABOR.
 * Returns the input itself when it holds no IAC byte and does not start
 * with a bare DM (the common case).
 */
export function stripTelnet(line: Uint8Array): TelnetStripped {
  if (line.indexOf(IAC) < 0 && line[0] !== DM) return { bytes: line, urgent: false };
  const out = new Uint8Array(line.length);
  let o = 0;
  let urgent = false;
  let i = 0;
  // Where a bare DM is the Synch of a BSD client (see the header): first on the line, or right after IAC IP.
  let synchAt = 0;
  while (i < line.length) {
    const b = line[i]!;
    if (b !== IAC) {
      if (b === DM && i === synchAt) urgent = true;
      else out[o++] = b;
      i++;
      continue;
    }
    const cmd = line[i + 1];
    if (cmd === undefined) {
      // A lone IAC at the end: its DM was taken out of band.
      urgent = true;
      i++;
    } else if (cmd === IAC) {
      out[o++] = IAC; // IAC IAC is a literal 0xFF data byte
      i += 2;
    } else if (cmd === IP || cmd === DM) {
      urgent = true;
      i += 2;
      if (cmd === IP) synchAt = i;
    } else if (cmd === SB) {
      // Skip the subnegotiation up to IAC SE (RFC 3659 section 2.2: option
      // negotiation "MUST NOT be attempted", but a stray one must not leak into a path).
      let j = i + 2;
      while (j < line.length && !(line[j] === IAC && line[j + 1] === SE)) j++;
      i = j + 2;
    } else if (cmd >= WILL && cmd <= DONT) {
      i += 3; // IAC WILL/WONT/DO/DONT <option>
    } else if (cmd >= FIRST_COMMAND) {
      i += 2; // NOP, BRK, AO, AYT, EC, EL, GA, SE: no meaning for FTP
    } else {
      // IAC then a data byte: the DM between them was taken out of band.
      urgent = true;
      i++;
    }
  }
  return { bytes: out.subarray(0, o), urgent };
}
