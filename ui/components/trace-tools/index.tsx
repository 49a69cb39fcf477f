/**
 * Save what the page shows: the trace as JSON lines, or as a capture for
 * Wireshark. Where the page holds only part of a run (a window of a long
 * run), the buttons say so: the saved file holds those steps.
 */
import { useState } from 'preact/hooks';
import type { TraceRecord } from '../../../runtime/trace/records.ts';
import { fileStem, pcapBlob, saveBlob, traceBlob } from '../../lib/download.ts';
import styles from './style.module.css';

export interface TraceToolsProps {
  records: () => readonly TraceRecord[];
  /** A name for the files ('server1 (01-greeting)'). */
  title: string;
  /** The page holds only the newest steps of the run: said beside the buttons. */
  partial: boolean;
}

export function TraceTools({ records, title, partial }: TraceToolsProps) {
  const [said, setSaid] = useState<string | null>(null);
  const stem = fileStem(title);
  return (
    <div class={styles.tools} data-testid="trace-tools">
      <button
        type="button"
        class={styles.button}
        data-testid="download-jsonl"
        onClick={() => {
          const held = records();
          saveBlob(traceBlob(held), `${stem}.jsonl`);
          setSaid(`Saved ${held.length.toLocaleString('en-US')} records as ${stem}.jsonl.`);
        }}
      >
        Download the trace (.jsonl)
      </button>
      <button
        type="button"
        class={styles.button}
        data-testid="download-pcap"
        onClick={async () => {
          try {
            const { blob, connections, packets } = await pcapBlob(records());
            saveBlob(blob, `${stem}.pcap`);
            setSaid(`Saved ${stem}.pcap: ${connections} connection${connections === 1 ? '' : 's'}, ${packets} packets. Open it in Wireshark.`);
          } catch (error) {
            setSaid(`The capture could not be made: ${error instanceof Error ? error.message : String(error)}`);
          }
        }}
      >
        Export for Wireshark (.pcap)
      </button>
      {partial && <span class={styles.note}>(the steps the page holds)</span>}
      {said !== null && (
        <span class={styles.note} role="status" data-testid="download-said">
          {said}
        </span>
      )}
    </div>
  );
}
