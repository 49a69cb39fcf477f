/**
 * Start a lesson machine on a real port, from the page: pick a machine
 * (grouped by lesson), fill in its own options (a server's port, a
 * client's host and port, and whatever else the lesson gives it, with its
 * defaults), start. The app checks everything again and answers in plain
 * words, which are shown here (next to the field they are about).
 */
import { useEffect, useId, useMemo, useState } from 'preact/hooks';
import type { CatalogLesson } from '../../lib/catalog.ts';
import { ApiProblem, getMachines, sentence, startRun, type ApiOptions, type MachineInfo } from '../../lib/api.ts';
import { memo } from '../../lib/memo.ts';
import styles from './style.module.css';

export interface StartFormProps {
  api: ApiOptions;
  catalog: readonly CatalogLesson[];
  onStarted(id: string): void;
  /** Folded to its title (runs are shown below it): a click opens it. */
  folded?: boolean;
}

const NUMBER_KINDS = new Set(['port', 'count', 'seconds']);

/** What a field's label says: 'port', 'host', 'root folder'. */
function labelOf(option: MachineInfo['options'][number]): string {
  return option.kind === 'folder' && option.name !== 'folder' ? `${option.name} (a folder)` : option.name;
}

export const StartForm = memo(function StartForm({ api, catalog, onStarted, folded = false }: StartFormProps) {
  const id = useId();
  const [machines, setMachines] = useState<MachineInfo[] | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [machine, setMachine] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ message: string; field: string | null } | null>(null);
  const [open, setOpen] = useState(!folded);
  useEffect(() => setOpen(!folded), [folded]);

  useEffect(() => {
    getMachines(api).then(
      (list) => {
        setMachines(list);
        if (list.length > 0) setMachine((m) => (m === '' ? list[0]!.id : m));
      },
      (error: unknown) => setLoadProblem(error instanceof ApiProblem ? error.message : String(error)),
    );
  }, [api]);

  const chosen = machines?.find((m) => m.id === machine) ?? null;
  // A new machine starts from its own defaults.
  useEffect(() => {
    if (chosen === null) return;
    setValues(Object.fromEntries(chosen.options.map((o) => [o.name, o.default === undefined ? '' : String(o.default)])));
    setProblem(null);
  }, [chosen]);

  const byLesson = useMemo(() => {
    const groups = new Map<string, MachineInfo[]>();
    for (const m of machines ?? []) groups.set(m.lesson, [...(groups.get(m.lesson) ?? []), m]);
    return [...groups];
  }, [machines]);
  const lessonTitle = (lessonId: string) => {
    const lesson = catalog.find((l) => l.id === lessonId);
    return lesson === undefined ? lessonId : `Lesson ${lesson.number}: ${lesson.meta.title}`;
  };

  if (loadProblem !== null) {
    return (
      <p class={styles.problem} role="alert" data-testid="start-problem">
        The machines to start could not be listed: {loadProblem}
      </p>
    );
  }
  if (machines === null) return <p class={styles.loading}>Asking the app which machines it can start…</p>;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (chosen === null || busy) return;
    const options: Record<string, string | number> = {};
    for (const o of chosen.options) {
      const v = (values[o.name] ?? '').trim();
      if (v === '') continue;
      options[o.name] = NUMBER_KINDS.has(o.kind) && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    }
    setBusy(true);
    setProblem(null);
    try {
      const started = await startRun(api, chosen.id, options);
      onStarted(started.id);
    } catch (error) {
      const message = error instanceof ApiProblem ? error.message : String(error);
      setProblem({ message: `${chosen.id} could not start: ${message}`, field: error instanceof ApiProblem ? error.field : null });
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class={styles.box} open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary class={styles.title} id={`${id}-title`}>
        Start a lesson machine on a real port
      </summary>
    <form class={styles.form} onSubmit={submit} data-testid="start-form" aria-labelledby={`${id}-title`}>
      <div class={styles.fields}>
        <label class={styles.field}>
          <span class={styles.label}>machine</span>
          <select value={machine} onChange={(e) => setMachine(e.currentTarget.value)} data-testid="start-machine">
            {byLesson.map(([lesson, list]) => (
              <optgroup key={lesson} label={lessonTitle(lesson)}>
                {list.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id} ({m.role})
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        {chosen?.options.map((o) => {
          const invalid = problem?.field === `options.${o.name}`;
          const numeric = NUMBER_KINDS.has(o.kind);
          // One attribute object: a number field's limits, or a text field's (the typings want one of them at a time).
          const attributes = (numeric ? { type: 'number', min: o.kind === 'port' && !o.allowZero ? 1 : 0, ...(o.kind === 'port' ? { max: 65535 } : {}) } : { type: 'text' }) as { type: 'text' };
          return (
            <label key={o.name} class={styles.field}>
              <span class={styles.label}>{labelOf(o)}</span>
              <input
                {...attributes}
                class={`${styles.input} ${o.kind === 'folder' ? styles.wide : ''}`}
                value={values[o.name] ?? ''}
                placeholder={o.default === undefined ? '' : String(o.default)}
                onInput={(e) => setValues((v) => ({ ...v, [o.name]: e.currentTarget.value }))}
                aria-invalid={invalid}
                title={o.help}
                data-testid={`start-option-${o.name}`}
              />
            </label>
          );
        })}
        <button type="submit" class={styles.start} disabled={busy || chosen === null} data-testid="start-run">
          {busy ? 'Starting…' : 'Start'}
        </button>
      </div>
      {chosen !== null && (
        <>
          <p class={styles.summary}>{sentence(chosen.summary)}</p>
          <dl class={styles.help}>
            {chosen.options.map((o) => (
              <div key={o.name}>
                <dt>{o.name}</dt>
                <dd>{o.help}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      {problem !== null && (
        <p class={styles.problem} role="alert" data-testid="start-problem">
          {problem.message}
        </p>
      )}
    </form>
    </details>
  );
});
