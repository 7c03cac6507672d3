// Staff roles: stored as a comma-separated string, used as a set.
import { z } from "zod";

export const roleSchema = z.enum(["staff", "dsl", "admin"]);
export type Role = z.infer<typeof roleSchema>;

export function parseRoles(stored: string): Role[] {
  return stored
    .split(",")
    .map((r) => roleSchema.safeParse(r.trim()))
    .flatMap((r) => (r.success ? [r.data] : []));
}

export function formatRoles(roles: readonly Role[]): string {
  return [...new Set(roles)].sort().join(",");
}
