/**
 * Throughput of the FTP protocol core (machines/ftp/protocol) over 100 MB
 * built in memory:
 *
 * - reply parsing: a stream of realistic single- and multi-line replies,
 *   fed to parseReplies in 64 KiB chunks, as a client reads them;
 * - TYPE A conversion both ways: text with lines of 1 to 120 bytes, in
 *   64 KiB chunks, LF -> CRLF (sending) and CRLF -> LF (receiving).
 *
 * Prints one line per figure with MB/s (1 MB = 10^6 bytes, the median of
 * 3 runs after a warm-up) and the target from issue 3.
 *
 *   npx tsx test/bench/ftp-protocol.ts
 */
import { pathToFileURL } from 'node:url';
import { CRLF_TO_LF_START, REPLY_PARSER_START, crlfToLf, crlfToLfEnd, lfToCrlf, parseReplies } from '../../machines/ftp/protocol/index.ts';

const TOTAL_BYTES = 100 * 1000 * 1000;
const CHUNK = 64 * 1024;
const RUNS = 3;
const REPLY_TARGET_MBS = 50;
const TYPE_A_TARGET_MBS = 200;

/** What a client hears in a typical session, over and over. */
const REPLY_SAMPLES = [
  '220 ProFTPD Server (Sockstep) [127.0.0.1]\r\n',
  '331 Password required for anonymous\r\n',
  '230 User anonymous logged in\r\n',
  '211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n MLST type*;size*;modify*;perm*;unique*;\r\n REST STREAM\r\n SIZE\r\n UTF8\r\n211 End\r\n',
  '257 "/home/anonymous/pub" is the current directory\r\n',
  '200 Type set to I\r\n',
  '227 Entering Passive Mode (192,168,1,2,19,137).\r\n',
  '229 Entering Extended Passive Mode (|||50122|)\r\n',
  '150 Opening BINARY mode data connection for report-2024-final.pdf (1048576 bytes)\r\n',
  '226 Transfer complete\r\n',
  '213 1048576\r\n',
  '250 CWD command successful\r\n',
  '550 no-such-file.txt: No such file or directory\r\n',
  '214-The following commands are recognized (* =>\'s unimplemented):\r\n CWD     XCWD    CDUP    XCUP    SMNT*   QUIT    PORT    PASV\r\n EPRT    EPSV    ALLO*   RNFR    RNTO    DELE    MDTM    RMD\r\n214 Direct comments to root@localhost\r\n',
];

/** Repeat `sample` bytes until `total` bytes; returns the buffer and how many whole samples it holds. */
function repeat(sample: Uint8Array, total: number): Uint8Array {
  const out = new Uint8Array(total);
  for (let at = 0; at < total; at += sample.length) out.set(sample.subarray(0, Math.min(sample.length, total - at)), at);
  return out;
}

function replyStream(): { bytes: Uint8Array; repliesPerBlock: number; blockLength: number } {
  const block = new TextEncoder().encode(REPLY_SAMPLES.join(''));
  const whole = Math.floor(TOTAL_BYTES / block.length) * block.length;
  return { bytes: repeat(block, whole), repliesPerBlock: REPLY_SAMPLES.length, blockLength: block.length };
}

function textStream(): Uint8Array {
  // Deterministic pseudo-random lines of printable ASCII, 1 to 120 bytes, ending in LF.
  const block = new Uint8Array(1 << 20);
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 8;
  for (let i = 0; i < block.length; ) {
    const len = 1 + (next() % 120);
    for (let j = 0; j < len && i < block.length; j++) block[i++] = 32 + (next() % 95);
    if (i < block.length) block[i++] = 0x0a;
  }
  return repeat(block, TOTAL_BYTES);
}

function time(run: () => number): { ms: number; check: number } {
  const started = performance.now();
  const check = run();
  return { ms: performance.now() - started, check };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function measure(label: string, bytes: number, target: number, run: () => number, expect: number | null): void {
  run(); // warm-up: let the JIT compile the hot paths
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { ms, check } = time(run);
    if (expect !== null && check !== expect) throw new Error(`${label}: expected ${expect}, got ${check}`);
    runs.push(ms);
  }
  const mbs = bytes / 1e6 / (median(runs) / 1000);
  const verdict = mbs >= target ? 'ok' : 'BELOW TARGET';
  console.log(`${label}: ${(bytes / 1e6).toFixed(0)} MB in ${median(runs).toFixed(0)} ms median, ${mbs.toFixed(0)} MB/s (target >= ${target} MB/s: ${verdict})`);
}

function parseAllReplies(bytes: Uint8Array): number {
  let state = REPLY_PARSER_START;
  let count = 0;
  for (let at = 0; at < bytes.length; at += CHUNK) {
    const { replies, rest } = parseReplies(state, bytes.subarray(at, at + CHUNK));
    for (const reply of replies) if (reply.ok) count++;
    state = rest;
  }
  return count;
}

function convertToNetwork(bytes: Uint8Array): number {
  let out = 0;
  for (let at = 0; at < bytes.length; at += CHUNK) out += lfToCrlf(bytes.subarray(at, at + CHUNK)).length;
  return out;
}

function convertToLocal(bytes: Uint8Array): number {
  let state = CRLF_TO_LF_START;
  let out = 0;
  for (let at = 0; at < bytes.length; at += CHUNK) {
    const { output, rest } = crlfToLf(state, bytes.subarray(at, at + CHUNK));
    out += output.length;
    state = rest;
  }
  return out + crlfToLfEnd(state).length;
}

export default async function bench(): Promise<void> {
  const replies = replyStream();
  const expected = (replies.bytes.length / replies.blockLength) * replies.repliesPerBlock;
  measure('ftp reply parsing (64 KiB chunks)', replies.bytes.length, REPLY_TARGET_MBS, () => parseAllReplies(replies.bytes), expected);

  const text = textStream();
  const lines = text.reduce((n, b) => (b === 0x0a ? n + 1 : n), 0);
  measure('ftp TYPE A LF -> CRLF (64 KiB chunks)', text.length, TYPE_A_TARGET_MBS, () => convertToNetwork(text), text.length + lines);
  const network = lfToCrlf(text);
  measure('ftp TYPE A CRLF -> LF (64 KiB chunks)', network.length, TYPE_A_TARGET_MBS, () => convertToLocal(network), text.length);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bench();
