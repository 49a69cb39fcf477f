/**
 * One readable line per trace record, for the terminal. Records that only
 * explain another (events before their microstep) print nothing.
 */
import { fromBase64 } from '../trace/bytes.ts';
import { endpointText } from '../transport/endpoint.ts';
import type { StateValue, TraceRecord } from '../trace/records.ts';

/** Longest text shown for one chunk; the trace file keeps every byte. */
export const MAX_SHOWN_BYTES = 80;

export function stateName(value: StateValue): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([region, inner]) => `${region}.${stateName(inner)}`)
    .join(', ');
}

/** Bytes as text where they are printable ASCII, escapes elsewhere: `"You are connected\r\n"`. */
export function showBytes(base64: string): string {
  const bytes = fromBase64(base64);
  let out = '';
  for (const b of bytes.subarray(0, MAX_SHOWN_BYTES)) {
    if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  const more = bytes.length > MAX_SHOWN_BYTES ? ` …(+${bytes.length - MAX_SHOWN_BYTES} bytes)` : '';
  return `"${out}"${more}`;
}

function describe(r: TraceRecord): string | null {
  switch (r.type) {
    case 'run':
      return `trace v${r.version} on ${r.transport === 'tcp' ? 'real TCP' : 'the simulated network'}`;
    case 'actor':
      return `${r.actor} started (machine ${r.machine})`;
    case 'event':
      return null;
    case 'microstep':
      return `${r.actor} state ${stateName(r.state)}`;
    case 'status': {
      // A machine in its `failed` final state is "done" to XState; say what it is.
      const error = (r.output as { error?: { code?: string } | null } | undefined)?.error;
      if (r.status === 'done' && error) return `${r.actor} failed (${error.code ?? 'error'})`;
      return `${r.actor} ${r.status === 'done' ? 'finished' : r.status}`;
    }
    case 'listen':
      return `${r.actor} listening on ${r.addr.host} port ${r.addr.port} (backlog ${r.backlog})`;
    case 'connect':
      return `${r.actor} ${r.conn} connected ${endpointText(r.local)} → ${endpointText(r.remote)}`;
    case 'accept':
      return `${r.actor} ${r.conn} accepted ${endpointText(r.remote)}`;
    case 'send':
      return `${r.actor} ${r.conn} send ${r.accepted}/${r.offered} bytes ${showBytes(r.data)}`;
    case 'recv':
      return r.data === ''
        ? `${r.actor} ${r.conn} recv(${r.max}) → 0 bytes`
        : `${r.actor} ${r.conn} recv(${r.max}) → ${fromBase64(r.data).length} bytes ${showBytes(r.data)}`;
    case 'eof':
      return `${r.actor} ${r.conn} end of data (the peer closed its side)`;
    case 'reset':
      return `${r.actor} ${r.conn} reset by ${r.by === 'peer' ? 'the peer' : 'us'}`;
    case 'error':
      return `${r.actor} ${r.op} failed: ${r.code} ${r.message}`;
    case 'close':
      return r.conn !== undefined ? `${r.actor} ${r.conn} closed` : `${r.actor} ${r.listener ?? ''} closed (no longer listening)`;
  }
}

/** `[   12.345 ms] server1 state accepting`, or null for records not shown. */
export function formatRecord(r: TraceRecord): string | null {
  const text = describe(r);
  if (text === null) return null;
  return `[${r.t.toFixed(3).padStart(10)} ms] ${text}`;
}
