/**
 * Where the page is in a live run: following the newest step as it comes
 * (with a pulsing dot), or held at a step the learner chose while the run
 * goes on, with how many steps behind that is and a way back to the
 * newest. Also what the page no longer holds (a window of a long run).
 */
import { stepNumber } from '../step-controls/index.tsx';
import styles from './style.module.css';

export interface FollowBarProps {
  following: boolean;
  /** Steps between the one shown and the newest. */
  behind: number;
  /** Every run shown has ended: nothing more will come. */
  ended: boolean;
  onFollow(): void;
  /** Steps of the run the page let go (its window), and what the app no longer held. */
  letGoSteps: number;
  appDropped: number;
  /** The held step was let go: its number in the run (from 1), or null. */
  heldLetGo: number | null;
  /** The window's size, for the sentence. */
  windowSteps: number;
  /** What is being watched: 'run' or 'file'. */
  what?: 'run' | 'file';
}

export function FollowBar(props: FollowBarProps) {
  const { following, behind, ended, onFollow } = props;
  const notes: string[] = [];
  if (props.appDropped > 0) {
    notes.push(
      `The app no longer held ${stepNumber(props.appDropped)} earlier record${props.appDropped === 1 ? '' : 's'} when they were asked for (it keeps the newest of a long run): the page starts after them. A run started with --trace FILE has every record in that file.`,
    );
  }
  if (props.letGoSteps > 0) {
    notes.push(
      `The page holds the newest ${stepNumber(props.windowSteps)} steps at most: the first ${stepNumber(props.letGoSteps)} steps of this ${props.what ?? 'run'} were let go to keep its memory bounded.`,
    );
  }
  if (props.heldLetGo !== null) notes.push(`The step you were on (${stepNumber(props.heldLetGo)}) was let go too: this is the oldest step the page still holds.`);
  return (
    <div class={styles.follow} data-testid="follow-bar">
      {ended ? (
        <p class={styles.state} data-testid="follow-state">
          <span class={styles.over} aria-hidden="true">
            ■
          </span>{' '}
          The run has ended: every step is here.
        </p>
      ) : following ? (
        <p class={styles.state} data-testid="follow-state">
          <span class={styles.dot} aria-hidden="true" /> Live: following the newest step as it comes.
        </p>
      ) : (
        <p class={`${styles.state} ${styles.held}`} data-testid="follow-state">
          Held here while the run goes on:{' '}
          <strong data-testid="steps-behind">
            {stepNumber(behind)} step{behind === 1 ? '' : 's'} behind
          </strong>
          .
        </p>
      )}
      {!following && !ended && (
        <button type="button" class={styles.jump} onClick={onFollow} data-testid="jump-to-live">
          Jump to live ⏭
        </button>
      )}
      {notes.map((n) => (
        <p key={n} class={styles.note} data-testid="window-note">
          {n}
        </p>
      ))}
    </div>
  );
}
