/**
 * What the page shows, saved: the trace as JSON lines (the format of
 * `--trace FILE`, which `sockstep view` and this page open again) and as a
 * pcap capture for Wireshark (runtime/export/, the pure writer the CLI's
 * `sockstep export` uses, loaded only when asked for). Both are built in
 * pieces and joined by the browser into a Blob, never one big string.
 */
import { recordToJson } from '../../runtime/trace/json.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';

/** Records per piece of the JSON-lines file. */
const LINES_PER_PIECE = 2000;

export function traceBlob(records: readonly TraceRecord[]): Blob {
  const pieces: string[] = [];
  for (let i = 0; i < records.length; i += LINES_PER_PIECE) {
    let piece = '';
    for (const r of records.slice(i, i + LINES_PER_PIECE)) piece += recordToJson(r) + '\n';
    pieces.push(piece);
  }
  return new Blob(pieces, { type: 'application/x-ndjson' });
}

export async function pcapBlob(records: readonly TraceRecord[]): Promise<{ blob: Blob; connections: number; packets: number }> {
  const { PcapExport } = await import('../../runtime/export/pcap-export.ts');
  const pcap = new PcapExport();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  for (const r of records) for (const chunk of pcap.push(r)) chunks.push(chunk as Uint8Array<ArrayBuffer>);
  const { connections, packets } = pcap.summary;
  return { blob: new Blob(chunks, { type: 'application/vnd.tcpdump.pcap' }), connections, packets };
}

/** Hand a Blob to the browser as a download. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once it starts.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file name from a title: 'server1 (01-greeting)' → 'server1-01-greeting'. */
export function fileStem(title: string): string {
  const stem = title
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return stem === '' ? 'trace' : stem;
}
