/**
 * Each program's files at the current step, from the file records
 * (trace/folder-files.ts): what a server read and what a client wrote,
 * side by side, one column per program. A file written while a temporary
 * file says so; a written file that holds only the start of a file another
 * program read whole says that too, in words (lesson 5's afile.txt cut
 * short by a timeout, beside somefile.txt).
 */
import { byteCount } from '../../../machines/socket-calls.ts';
import type { Role } from '../../../runtime/trace/records.ts';
import { toneClass } from '../../lib/tone.ts';
import { compareFiles, fileBytes, filesAt, type FileComparison, type FolderFile } from '../../trace/folder-files.ts';
import type { StepModel } from '../../trace/steps.ts';
import styles from './style.module.css';

/** Bytes of a file shown; the rest is counted. */
export const FILE_PREVIEW_BYTES = 4096;

const decoder = new TextDecoder();

function stateText(f: FolderFile): string {
  switch (f.state) {
    case 'read':
      return f.complete ? `read to its end: ${byteCount(f.size)}` : `read so far: ${byteCount(f.size)}`;
    case 'writing':
      return `being written: ${byteCount(f.size)} so far, under a temporary name until it is closed`;
    case 'written':
      return `written and closed: ${byteCount(f.size)}`;
    case 'discarded':
      return `thrown away (${byteCount(f.size)} written): the name is left as it was`;
    case 'removed':
      return 'removed';
  }
}

function comparisonText(c: FileComparison): string {
  if (c.kind === 'same') return `${c.path} holds every byte of ${c.otherProgram}'s ${c.otherPath} (${byteCount(c.size)}): the whole file arrived.`;
  return `${c.path} holds only the first ${byteCount(c.size)} of ${c.otherProgram}'s ${c.otherPath} (${byteCount(c.otherSize)}): the rest never made it into the file.`;
}

function FileBox({ file, step, onStep }: { file: FolderFile; step: number; onStep(step: number): void }) {
  const bytes = fileBytes(file, FILE_PREVIEW_BYTES);
  const more = file.size - bytes.length;
  const gone = file.state === 'discarded' || file.state === 'removed';
  return (
    <li class={`${styles.file} ${gone ? styles.gone : ''} ${file.step === step ? styles.now : ''}`} data-testid="folder-file" data-path={file.path} data-state={file.state} data-size={file.size}>
      <div class={styles.head}>
        <button type="button" class={styles.name} onClick={() => onStep(file.step)} title="Go to the step that last touched it">
          {file.path}
        </button>
        <span class={styles.state}>{stateText(file)}</span>
      </div>
      {!gone && (
        <pre class={styles.content} data-testid="file-content">
          {file.size === 0 ? <span class={styles.empty}>(empty)</span> : decoder.decode(bytes)}
          {more > 0 && <span class={styles.more}>{`\n+ ${byteCount(more)} more`}</span>}
        </pre>
      )}
    </li>
  );
}

export interface FileViewProps {
  model: StepModel;
  roles: ReadonlyMap<string, Role>;
  step: number;
  onStep(step: number): void;
}

export function FileView({ model, roles, step, onStep }: FileViewProps) {
  const programs = filesAt(model, step);
  const comparisons = compareFiles(programs);
  if (programs.length === 0) return <p class={styles.none}>No file has been read or written by this step.</p>;
  return (
    <div data-testid="file-view">
      <div class={styles.folders}>
        {programs.map((p) => (
          <section key={p.program} class={`${styles.folder} ${toneClass(roles.get(p.program) ?? 'client')}`} data-testid="folder" data-program={p.program}>
            <h3 class={styles.who}>{p.program}’s folder</h3>
            <ul class={styles.files}>
              {p.files.map((f) => (
                <FileBox key={`${f.path}:${f.state}`} file={f} step={step} onStep={onStep} />
              ))}
            </ul>
          </section>
        ))}
      </div>
      {comparisons.map((c) => (
        <p key={`${c.program}:${c.path}:${c.otherPath}`} class={c.kind === 'same' ? styles.same : styles.short} role="status" data-testid="file-comparison" data-kind={c.kind}>
          {comparisonText(c)}
        </p>
      ))}
    </div>
  );
}
