/**
 * The part each actor plays (server, session, client): it colours the
 * actor's lane, its byte rows and its script, never the TCP end it holds
 * (an FTP server connects too, in active mode).
 *
 * From the actor's own `actor` record first; else from the lesson's
 * machine of that id; else a child of another actor is a session and an
 * actor that listens or accepts is a server; else a client. O(actors):
 * the model keeps who listened or accepted as records arrive.
 */
import type { Role } from '../../runtime/trace/records.ts';
import type { StepModel } from './steps.ts';

export const ROLES: readonly Role[] = ['server', 'session', 'client'];

export type RoleOf = (actor: string) => Role;

/** Each actor's role, for a trace and the roles the lesson gives its machines (by machine id). */
export function rolesOf(model: StepModel, machineRoles: Readonly<Record<string, Role>> = {}): Map<string, Role> {
  const out = new Map<string, Role>();
  for (const info of model.actors) {
    const fromLesson = info.machine === null ? undefined : machineRoles[info.machine];
    const role: Role = info.role ?? fromLesson ?? (info.parent !== null ? 'session' : model.serves.has(info.actor) ? 'server' : 'client');
    out.set(info.actor, ROLES.includes(role) ? role : 'client');
  }
  return out;
}
