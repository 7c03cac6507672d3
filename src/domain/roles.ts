// Staff roles: stored as a comma-separated string, used as a set; and who sees beyond their own work.

import { type Role, role as roleSchema } from "../contract/vocabulary.ts";

export { type Role, roleSchema };

export function parseRoles(stored: string): Role[] {
  return stored
    .split(",")
    .map((r) => roleSchema.safeParse(r.trim()))
    .flatMap((r) => (r.success ? [r.data] : []));
}

export function formatRoles(roles: readonly Role[]): string {
  return [...new Set(roles)].sort().join(",");
}

// Who sees beyond their own work, decided here and nowhere else.

/** Watches and lists every session, not only those they run: the DSL and admins. */
export function watchesEverySession(roles: readonly Role[]): boolean {
  return roles.includes("dsl") || roles.includes("admin");
}

/**
 * Reads every concern and follows them up: the DSL alone. Admins run the service; safeguarding
 * casework is the DSL's (staff see the concerns they raised).
 */
export function readsEveryConcern(roles: readonly Role[]): boolean {
  return roles.includes("dsl");
}
