/**
 * `memo` without preact/compat: a component that re-renders only when a
 * prop changed (compared with ===, or by `same` for the props it names).
 * preact/compat would do the same, but importing it installs a hook on every
 * element the page creates, which costs more per step than the memoisation
 * saves.
 */
import { createElement, type ComponentType, type FunctionComponent } from 'preact';

type Same<P> = { [K in keyof P]?: (a: P[K], b: P[K]) => boolean };

function differs<P>(a: Record<string, unknown>, b: Record<string, unknown>, same: Same<P> | undefined): boolean {
  for (const key in a) if (key !== '__source' && !(key in b)) return true;
  for (const key in b) {
    if (key === '__source' || a[key] === b[key]) continue;
    const equal = same?.[key as keyof P] as ((x: unknown, y: unknown) => boolean) | undefined;
    if (equal === undefined || !equal(a[key], b[key])) return true;
  }
  return false;
}

export function memo<P extends object>(component: FunctionComponent<P>, same?: Same<P>): FunctionComponent<P> {
  function Memoed(this: { props: P; shouldComponentUpdate?: (next: P) => boolean }, props: P) {
    this.shouldComponentUpdate = (next: P) => differs(this.props as Record<string, unknown>, next as Record<string, unknown>, same);
    return createElement(component as ComponentType<P>, props);
  }
  Memoed.displayName = `Memo(${component.displayName ?? component.name})`;
  return Memoed as FunctionComponent<P>;
}
