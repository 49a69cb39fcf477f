/**
 * `sockstep export run.jsonl --pcap run.pcap`: a trace as a capture that
 * Wireshark and tshark read (runtime/export/pcap-export.ts). The trace is
 * read line by line and the capture written as it is made, so a trace of
 * any size takes little memory.
 *
 *   $ sockstep export run.jsonl --pcap run.pcap
 *   wrote run.pcap: 1 connection, 9 packets, 17 bytes of data (from 37 trace records)
 */
import { createReadStream, createWriteStream, openSync, closeSync, statSync, unlinkSync, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { byteCount } from '../../machines/socket-calls.ts';
import { PcapExport, type ExportSummary } from '../export/pcap-export.ts';
import { TraceFileError, TraceLineReader } from '../trace/json.ts';
import { CliFailure, UsageError } from './cli-errors.ts';
import { optionLines, parseCommandArgs, type CommandOption, type CommandSpec } from './command-options.ts';
import type { CliIo } from './main.ts';

export const EXPORT_OPTIONS: readonly CommandOption[] = [
  { name: 'pcap', kind: 'text', metavar: 'FILE', example: 'run.pcap', help: 'write the capture to FILE (classic pcap, Ethernet)' },
];

const EXPORT_SPEC: CommandSpec = {
  owner: 'sockstep export',
  command: 'sockstep export',
  options: EXPORT_OPTIONS,
  defaultsBase: '.',
  takenElsewhere: () => [],
};

export function exportHelp(): string {
  return [
    'sockstep export: write a trace as a capture for Wireshark or tshark',
    '',
    'Usage: sockstep export TRACE.jsonl --pcap FILE',
    '',
    'Every connection becomes a TCP conversation: SYN, SYN-ACK and ACK where the trace',
    'connects or accepts, the bytes of each direction, FIN where it closes, RST where it',
    'resets, at the times the trace gives.',
    '',
    'Options:',
    ...optionLines(EXPORT_OPTIONS, [['--help', 'show this text']]),
    '',
    'Example: sockstep export run.jsonl --pcap run.pcap && tshark -r run.pcap',
  ].join('\n');
}

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'there is no such file',
  ENOTDIR: 'there is no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'that is a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

function problemOf(error: unknown): string {
  return FILE_PROBLEMS[(error as { code?: string }).code ?? ''] ?? (error as Error).message;
}

/**
 * The lines of a file, one at a time, without their line ends. Read in
 * chunks and cut at LF bytes (LF never occurs inside a UTF-8 character), so
 * memory holds one chunk and one line, whatever the file's size.
 * (node:readline held far more: a 1 GB trace ran out of a 64 MB heap.)
 */
async function* linesOf(path: string): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let partial: Buffer[] = [];
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let lf = chunk.indexOf(0x0a); lf >= 0; lf = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, lf);
      yield decoder.decode(partial.length === 0 ? piece : Buffer.concat([...partial, piece]));
      partial = [];
      start = lf + 1;
    }
    if (start < chunk.length) partial.push(chunk.subarray(start));
  }
  if (partial.length > 0) yield decoder.decode(Buffer.concat(partial));
}

/** Wait until the stream has room again (backpressure), or fail with its error. */
function drained(out: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      out.off('drain', onDrain);
      reject(error);
    };
    const onDrain = () => {
      out.off('error', onError);
      resolve();
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

function closed(out: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** What the summary line says: '2 connections, 23 packets, 1,234 bytes of data (from 57 trace records)'. */
function summaryText({ connections, packets, bytes, records }: ExportSummary): string {
  const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(connections, 'connection')}, ${plural(packets, 'packet')}, ${byteCount(bytes)} of data (from ${plural(records, 'trace record')})`;
}

export async function exportCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, EXPORT_SPEC, io.cwd);
  if (args.flags.has('help')) {
    io.out(exportHelp());
    return 0;
  }
  const [input, extra] = args.positionals;
  if (input === undefined) throw new UsageError('export needs a trace file, as in sockstep export run.jsonl --pcap run.pcap');
  if (extra !== undefined) throw new UsageError(`export takes one trace file (got "${input}" and "${extra}")`);
  const target = args.values.pcap;
  if (target === undefined || target === '') throw new UsageError(`export needs --pcap FILE, as in sockstep export ${input} --pcap run.pcap`);
  const inPath = resolve(io.cwd, input);
  const outPath = resolve(io.cwd, String(target));
  if (inPath === outPath) throw new UsageError(`--pcap ${target} is the trace file itself; write the capture to another file`);
  try {
    if (statSync(inPath).isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    closeSync(openSync(inPath, 'r'));
  } catch (error) {
    throw new UsageError(`cannot read the trace "${input}": ${problemOf(error)}`);
  }
  let out: WriteStream;
  try {
    // Opened before reading, so that a bad output path fails at once.
    closeSync(openSync(outPath, 'w'));
    out = createWriteStream(outPath);
  } catch (error) {
    throw new UsageError(`cannot write the capture to "${target}": ${problemOf(error)}`);
  }

  const pcap = new PcapExport();
  const reader = new TraceLineReader();
  const lines = linesOf(inPath);
  let lineNo = 0;
  let read = 0;
  let pending: { text: string; at: number } | null = null;
  let cut: TraceFileError | null = null;
  const take = async (text: string) => {
    const record = reader.read(text);
    if (record === null) return;
    read += 1;
    for (const chunk of pcap.push(record)) if (!out.write(chunk)) await drained(out);
  };
  try {
    // One line behind: a bad last line may be a trace cut short while it was written, not a broken one.
    for await (const text of lines) {
      lineNo += 1;
      if (pending !== null) await take(pending.text);
      pending = { text, at: lineNo };
    }
    if (pending !== null) {
      try {
        await take(pending.text);
      } catch (error) {
        // A last line that is not even JSON was cut short; anything else wrong with it is wrong.
        if (!(error instanceof TraceFileError) || read === 0 || isJson(pending.text)) throw error;
        cut = error;
      }
    }
    if (read === 0) throw new TraceFileError('the file is empty: a trace has at least its "run" header', 1);
    await closed(out);
  } catch (error) {
    await lines.return(undefined);
    // A write still pending fails once the stream is destroyed: nothing to report, the file goes.
    out.on('error', () => undefined);
    if (!out.closed) await new Promise<void>((resolve) => out.destroy().once('close', () => resolve()));
    try {
      unlinkSync(outPath);
    } catch {
      // Already gone: nothing to tidy.
    }
    if (error instanceof TraceFileError) throw new CliFailure(`cannot export "${input}": ${error.message.replace(/\.$/, '')}; no capture written`);
    throw new CliFailure(`cannot export "${input}" to "${target}": ${problemOf(error)}; no capture written`);
  }
  if (cut !== null) {
    io.err(`sockstep: warning: the last line of "${input}" (line ${pending!.at}) is cut short (${cut.message}); the capture holds the ${read} records before it`);
  }
  io.out(`wrote ${target}: ${summaryText(pcap.summary)}`);
  return 0;
}
