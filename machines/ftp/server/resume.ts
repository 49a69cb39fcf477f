/**
 * The rest of a command once a file call has answered: the next step from
 * the call's result (or its error). Pure, like decide.ts.
 *
 *   CWD   stat ─folder─▶ 250          RETR  openFile(read) ─▶ transfer (send)
 *   DELE  stat ─file──▶ remove ─▶ 250  STOR  openFile(replace | update) ─▶ transfer (receive)
 *   LIST  stat ─folder─▶ scandir ─▶ transfer of the listing's bytes
 *
 * Pure: no `node:` import.
 */
import type { FileEntry, OpenFileOutput, ScandirOutput } from '../../file-calls.ts';
import { formatMlsdTime } from '../protocol/mlsd.ts';
import { formatSizeReplyText } from '../protocol/size-rest.ts';
import { listingBytes, listingLine, mlstEntryLine, type ListingKind } from './listings.ts';
import { fileErrorReply, pathReply, reply } from './replies.ts';
import { folderPath, type Decision, type Next, type Situation, type Step } from './session-state.ts';

/** A file call's outcome as the session saw it. */
export type CallOutcome = { ok: true; output: unknown } | { ok: false; code: string; message: string };

const replyStep = (code: number, text: string | readonly string[]): Step => ({ kind: 'reply', text: reply(code, text) });

/** The last name of a virtual path: '/pub/a.txt' → 'a.txt'. */
function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || '/';
}

export function resume(situation: Situation, next: Next, outcome: CallOutcome): Decision {
  const state = situation.state;
  const same = (step: Step): Decision => ({ step, state });
  if (!outcome.ok) return same({ kind: 'reply', text: fileErrorReply(outcome.code, `${next.verb} ${next.path}`) });
  const out = outcome.output;
  switch (next.verb) {
    case 'CWD': {
      const entry = out as FileEntry;
      if (entry.kind !== 'folder') return same(replyStep(550, `${next.path} is not a folder.`));
      return { step: replyStep(250, `Directory changed to ${next.path}.`), state: { ...state, cwd: next.path } };
    }
    case 'DELE': {
      const entry = out as FileEntry;
      if (entry.kind === 'folder') return same(replyStep(550, `${next.path} is a folder: remove it with RMD.`));
      return same({ kind: 'file', call: 'remove', input: { path: folderPath(next.path) }, next: { verb: 'DELE.done', path: next.path } });
    }
    case 'DELE.done':
      return same(replyStep(250, `${next.path} deleted.`));
    case 'MKD':
      return same({ kind: 'reply', text: pathReply(next.path, 'created.') });
    case 'RMD':
      return same(replyStep(250, `${next.path} removed.`));
    case 'RNFR':
      return { step: replyStep(350, `${next.path} exists: send RNTO with the new name.`), state: { ...state, renameFrom: next.path } };
    case 'RNTO':
      return same(replyStep(250, `Renamed ${next.extra ?? ''} to ${next.path}.`));
    case 'SIZE': {
      const entry = out as FileEntry;
      if (entry.kind !== 'file') return same(replyStep(550, `${next.path} is not a plain file, so it has no size to give.`));
      return same(replyStep(213, formatSizeReplyText(entry.size)));
    }
    case 'MDTM': {
      const entry = out as FileEntry;
      const time = formatMlsdTime(new Date(entry.modified));
      if (entry.kind !== 'file' || time === null) return same(replyStep(550, `${next.path} has no modification time to give (it is not a plain file).`));
      return same(replyStep(213, time));
    }
    case 'MLST':
      return same(replyStep(250, [`Listing ${next.path}`, mlstEntryLine(out as FileEntry, next.path), 'End']));
    case 'STAT':
    case 'LIST':
    case 'NLST':
    case 'MLSD':
      return listing(situation, next, out as FileEntry);
    case 'LIST.entries':
    case 'STAT.entries': {
      const kind = (next.extra ?? 'LIST') as ListingKind | 'STAT';
      const entries = (out as ScandirOutput).entries;
      if (kind === 'STAT') return same(replyStep(213, [`Status of ${next.path}:`, ...entries.map((e) => listingLine('LIST', e, situation.now)), 'End of status.']));
      return same(listingTransfer(situation, kind, listingBytes(kind, entries, situation.now), next.path));
    }
    case 'RETR':
    case 'STOR':
    case 'APPE':
    case 'STOU': {
      const opened = out as OpenFileOutput;
      const receive = next.verb !== 'RETR';
      const what = `${next.verb === 'STOU' ? 'FILE: ' : ''}${baseName(next.path)}`;
      const size = receive ? '' : ` (${opened.size} bytes)`;
      return same({
        kind: 'transfer',
        plan: {
          verb: next.verb,
          direction: receive ? 'receive' : 'send',
          file: opened.file,
          path: folderPath(next.path),
          ascii: state.ascii,
          // RFC 1123 section 4.1.2.9: STOU's 150 names the file it makes ("150 FILE: pppp").
          mark: reply(150, next.verb === 'STOU' ? what : `Opening ${state.ascii ? 'ASCII' : 'BINARY'} mode data connection for ${what}${size}.`),
          done: reply(226, receive ? `Transfer complete: ${next.path} stored.` : 'Transfer complete.'),
        },
      });
    }
    default:
      return same(replyStep(451, `Internal error: no way to finish ${next.verb}.`));
  }
}

/** LIST, NLST, MLSD, STAT of a path: a folder is scanned, a file is listed alone. */
function listing(situation: Situation, next: Next, entry: FileEntry): Decision {
  const state = situation.state;
  const kind = (next.verb === 'STAT' ? 'STAT' : next.verb) as ListingKind | 'STAT';
  if (entry.kind === 'folder') {
    return { state, step: { kind: 'file', call: 'scandir', input: { path: folderPath(next.path) }, next: { verb: kind === 'STAT' ? 'STAT.entries' : 'LIST.entries', path: next.path, extra: kind } } };
  }
  // MLSD is for folders only (RFC 3659 section 7.2.2: "the pathname ... must name a directory").
  if (kind === 'MLSD') return { state, step: replyStep(501, `${next.path} is not a folder: MLSD lists folders (use MLST for one file).`) };
  const one = { ...entry, name: baseName(next.path) };
  if (kind === 'STAT') return { state, step: replyStep(213, [`Status of ${next.path}:`, listingLine('LIST', one, situation.now), 'End of status.']) };
  return { state, step: listingTransfer(situation, kind, listingBytes(kind, [one], situation.now), next.path) };
}

function listingTransfer(situation: Situation, kind: ListingKind, bytes: Uint8Array, path: string): Step {
  return {
    kind: 'transfer',
    plan: {
      verb: kind,
      direction: 'send',
      bytes,
      ascii: false, // already CRLF
      mark: reply(150, `Here comes the listing of ${path}.`),
      done: reply(226, 'Directory send OK.'),
    },
  };
}
