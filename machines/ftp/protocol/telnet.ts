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
 * On the wire (inetutils ftp, for example):
 *
 *   FF F4    FF F2    41 42 4F 52 0D 0A
 *   IAC IP   IAC DM   A  B  O  R  CR LF
 *
 * The Synch's DM byte is sent as TCP urgent data. A socket that does not
 * read urgent data inline loses that byte, so the server may see a lone IAC
 * followed by 'A'. Both forms must still parse as ABOR.
 *
 * Browser-safe: no `node:` import.
 */

export const IAC = 0xff; // Interpret As Command
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
  /** An IP or a Synch (DM, or a lone IAC whose DM went out of band) was seen. */
  readonly urgent: boolean;
}

/**
 * Remove Telnet commands from one command line and say whether it carried
 * the IP/Synch signals that precede an urgent command like ABOR.
 * Returns the input itself when it holds no IAC byte (the common case).
 */
export function stripTelnet(line: Uint8Array): TelnetStripped {
  if (line.indexOf(IAC) < 0) return { bytes: line, urgent: false };
  const out = new Uint8Array(line.length);
  let o = 0;
  let urgent = false;
  let i = 0;
  while (i < line.length) {
    const b = line[i]!;
    if (b !== IAC) {
      out[o++] = b;
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
