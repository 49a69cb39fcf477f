/**
 * Whatever goes wrong while drawing a page (a trace with a record the page
 * misreads, say) shows as a message saying what happened and what to do,
 * never as a blank page.
 */
import type { ComponentChildren } from 'preact';
import { useErrorBoundary } from 'preact/hooks';
import styles from './style.module.css';

export function ErrorBoundary({ children, what }: { children: ComponentChildren; what: string }) {
  const [error, reset] = useErrorBoundary((e: unknown) => console.error(e));
  if (error === undefined) return <>{children}</>;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class={styles.box} role="alert" data-testid="page-error">
      <h1>{what} could not be shown</h1>
      <p>Something in this run is more than the page can draw.</p>
      <pre>{message}</pre>
      <p>
        <button type="button" onClick={reset}>
          Try again
        </button>{' '}
        or reload the page; if it keeps failing, please report it with the message above.
      </p>
    </div>
  );
}
