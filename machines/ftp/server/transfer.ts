/**
 * The transfer state of the FTP session: the data connection and the
 * control connection side by side (parallel regions), and a JOIN.
 *
 *   transfer ┬ data:    starting ──▶ running ──data child done──▶ closingFile ──▶ ended ✓
 *            └ control: announcing (150) ──▶ watching ──data ended──▶ replying (226) ──▶ finished ✓
 *                                             │ ABOR ──▶ aborting ──▶ waitingForData ──▶ replying (426, 226)
 *                                             └ end of data ──▶ lost ──▶ waitingForData ──▶ finished ✓ (then close)
 *
 * The transfer is over only when BOTH regions are final: the data
 * connection has ended (and the file is closed: renamed into place, or
 * thrown away) and the final reply has been sent. RFC 959 section 3.2:
 * in stream mode "the end-of-file is indicated by [closing] the data
 * connection"; section 5.4 (sequencing): a transfer command gets a
 * preliminary reply, and the completion reply ("secondary replies to file
 * transfer commands") only once the transfer is done. So the 226 goes out
 * after the data connection is closed, never before, and a client waiting
 * for both (curl, basic-ftp) sees them in that order.
 *
 * ABOR, RFC 959 section 4.1.3: "the server aborts the FTP service in
 * progress and closes the data connection, returning a 426 reply to
 * indicate that the service request terminated abnormally. The server then
 * sends a 226 reply, indicating that the abort command was successfully
 * processed." If the transfer had already finished, only 226s are due.
 *
 * A control connection lost mid-transfer ends the data connection too: a
 * transfer nobody can hear the end of is stopped, and a STOR's temporary
 * file thrown away.
 *
 * Other commands that arrive meanwhile wait in the session's queue and are
 * answered after the transfer (RFC 959 section 4.2: "server-FTP processes
 * should queue any commands that arrive while a preceding command is in
 * progress").
 *
 * Pure: no `node:` import. The state config is typed by the session's
 * setup (session.ts), which defines every action and guard named here.
 */
import type { DataChannelOutput } from './data-channel.ts';
import { reply } from './replies.ts';
import type { TransferStatus } from './session.ts';

/** The final reply of a transfer, from how the data connection ended and whether ABOR came. */
export function finalReply(transfer: TransferStatus): string {
  const result: DataChannelOutput = transfer.result ?? { outcome: 'failed', wire: 0, file: 0, reply: reply(426, 'Connection closed; transfer aborted.') };
  if (transfer.aborted) {
    const ok = reply(226, 'ABOR command successful.');
    if (result.outcome === 'done') return transfer.plan.done + ok;
    return reply(426, 'Connection closed; transfer aborted.') + ok;
  }
  if (result.outcome === 'done') return transfer.plan.done;
  return result.reply ?? reply(426, 'Connection closed; transfer aborted.');
}

const send = (self: string, next: string, onError: string) => ({
  invoke: {
    id: 'send',
    src: 'send',
    input: ({ context }: { context: { control: { conn: string }; out: Uint8Array; sent: number } }) => ({ conn: context.control.conn, bytes: context.out.subarray(context.sent) }),
    onDone: [
      { guard: 'sentAll', target: next, actions: 'noteSent' },
      { target: self, reenter: true, actions: 'noteSent' },
    ],
    onError: { target: onError },
  },
});

export function transferStates() {
  return {
    type: 'parallel' as const,
    entry: 'beginTransfer',
    exit: 'endTransfer',
    states: {
      data: {
        initial: 'starting',
        states: {
          starting: { always: [{ guard: 'noTransferChild', target: 'closingFile', actions: 'noChannel' }, { target: 'running' }] },
          running: {
            on: {
              'xstate.done.actor.*': { guard: 'isTransferChild', target: 'closingFile', actions: ['keepResult', 'stopDataChild'] },
              'xstate.error.actor.*': { guard: 'isTransferChild', target: 'closingFile', actions: ['keepResult', 'stopDataChild'] },
            },
          },
          closingFile: {
            always: { guard: 'noTransferFile', target: 'ended' },
            invoke: {
              id: 'closeFile',
              src: 'closeFile',
              // A STOR that did not end well is thrown away: the old file stays whole.
              input: ({ context }: { context: { transfer: TransferStatus } }) => ({
                file: context.transfer.plan.file!,
                ...(context.transfer.plan.direction === 'receive' && context.transfer.result?.outcome !== 'done' ? { discard: true } : {}),
              }),
              onDone: 'ended',
              onError: { target: 'ended', actions: 'closeFileFailed' },
            },
          },
          ended: { type: 'final' as const, entry: 'dataEnded' },
        },
      },
      control: {
        initial: 'announcing',
        states: {
          announcing: send('announcing', 'watching', 'lost'),
          watching: {
            always: [
              { guard: 'transferDataEnded', target: 'replying', actions: 'sayFinal' },
              { guard: 'abortWaiting', target: 'aborting' },
              { guard: 'queueFull', target: 'waitingForData' },
            ],
            invoke: {
              id: 'recv',
              src: 'recv',
              input: ({ context }: { context: { control: { conn: string } } }) => ({ conn: context.control.conn, max: 8192 }),
              onDone: [
                { guard: 'endOfData', target: 'lost' },
                { target: 'watching', reenter: true, actions: 'takeLines' },
              ],
              onError: { target: 'lost' },
            },
          },
          aborting: { entry: ['dropAbortLine', 'abortData'], always: 'waitingForData' },
          lost: { entry: ['markLost', 'abortData'], always: 'waitingForData' },
          waitingForData: {
            always: [
              { guard: 'transferLostAndEnded', target: 'finished' },
              { guard: 'transferDataEnded', target: 'replying', actions: 'sayFinal' },
            ],
          },
          replying: send('replying', 'finished', 'lost'),
          finished: { type: 'final' as const },
        },
      },
    },
    onDone: [{ guard: 'transferLost', target: 'closing' }, { target: 'nextCommand' }],
  };
}
