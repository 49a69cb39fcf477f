/**
 * The class that colours an element by its program's role: `tone-server`,
 * `tone-session` or `tone-client` (ui/styles.css). It sets `--tone`,
 * `--tone-text`, `--tone-soft` and `--tone-faint` for the element and all
 * inside it, which a component's own CSS then uses whatever the role. One
 * class for every component, so a role is coloured in one place.
 */
import type { Role } from '../../runtime/trace/records.ts';

export function toneClass(role: Role | null | undefined): string {
  return role === null || role === undefined ? '' : `tone-${role}`;
}
