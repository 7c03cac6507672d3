// Staff accounts and console sign-ins. Sign-ins are server-side rows, so that signing out or
// deactivating an account takes effect on the very next request.

import { queryableOf } from "../adapters/db/driver.ts";
import { readStaffExists } from "../adapters/db/reads/shared.ts";
import type { AccountThrottle } from "../adapters/throttle.ts";
import { conflict, notFound } from "./errors.ts";
import { formatRoles, parseRoles, type Role } from "./roles.ts";
import { decoyPasswordHash, hashPassword, hashToken, newToken, verifyPassword } from "./secrets.ts";
import type { Store } from "./unit-of-work.ts";

export interface StaffView {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  active: boolean;
  createdAt: Date;
}

type StaffRow = { id: string; email: string; name: string; roles: string; active: boolean; createdAt: Date };

export function viewStaff(row: StaffRow): StaffView {
  return { id: row.id, email: row.email, name: row.name, roles: parseRoles(row.roles), active: row.active, createdAt: row.createdAt };
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** "alice@example.org" → "a***@example.org"; anything that is not an address → its length only. */
function maskTyped(typed: string): string {
  const at = typed.lastIndexOf("@");
  const domain = typed.slice(at + 1);
  if (at > 0 && /^[^\s@]+\.[^\s@]+$/.test(domain)) return `${typed[0]}***@${domain}`;
  return `(${[...typed].length} characters, not an e-mail address)`;
}

export interface NewStaff {
  email: string;
  name: string;
  password: string;
  roles: Role[];
}

export async function createStaff(store: Store, input: NewStaff, actorId: string | null): Promise<StaffView> {
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return store.transaction(async ({ tx, audit }) => {
    if (await tx.staff.findUnique({ where: { email } })) throw conflict("email_taken", "A staff account with this e-mail already exists");
    const row = await tx.staff.create({ data: { email, name: input.name, passwordHash, roles: formatRoles(input.roles) } });
    await audit.append({
      actorType: actorId ? "staff" : "system",
      actorId,
      action: "staff.created",
      subjectId: row.id,
      data: { roles: formatRoles(input.roles) },
    });
    return viewStaff(row);
  });
}

export async function listStaff(store: Store): Promise<StaffView[]> {
  return (await store.database.db.staff.findMany({ orderBy: { createdAt: "asc" } })).map(viewStaff);
}

export interface StaffChange {
  name?: string;
  roles?: Role[];
  active?: boolean;
}

/** `actorId` is the admin making the change, or null for an operator at the command line. */
export async function updateStaff(store: Store, id: string, change: StaffChange, actorId: string | null): Promise<StaffView> {
  return store.transaction(async ({ tx, now, audit }) => {
    const before = await tx.staff.findUnique({ where: { id } });
    if (!before) throw notFound("Staff account");
    const deactivating = change.active === false && before.active;
    if (deactivating && id === actorId)
      throw conflict("cannot_deactivate_self", "You cannot deactivate your own account: ask another admin to do it.");
    const stillAdmin = (change.active ?? before.active) && (change.roles ?? parseRoles(before.roles)).includes("admin");
    if (before.active && parseRoles(before.roles).includes("admin") && !stillAdmin) {
      const admins = (await tx.staff.findMany({ where: { active: true } })).filter((s) => parseRoles(s.roles).includes("admin"));
      if (admins.length <= 1)
        throw conflict(
          "last_admin",
          `${before.name} is the last active admin: make someone else an admin first, or nobody could manage staff.`,
        );
    }
    const row = await tx.staff.update({
      where: { id },
      data: {
        name: change.name,
        roles: change.roles ? formatRoles(change.roles) : undefined,
        active: change.active,
        deactivatedAt: deactivating ? now : change.active ? null : undefined,
      },
    });
    if (deactivating) await tx.staffLogin.updateMany({ where: { staffId: id, revokedAt: null }, data: { revokedAt: now } });
    await audit.append({
      actorType: actorId ? "staff" : "system",
      actorId,
      action: "staff.updated",
      subjectId: id,
      data: { nameChanged: change.name !== undefined, roles: change.roles && formatRoles(change.roles), active: change.active },
    });
    return viewStaff(row);
  });
}

/** An admin lets a held account try to sign in again at once (see adapters/throttle.ts). */
export async function clearSignInHold(store: Store, signIns: AccountThrottle, id: string, actorId: string): Promise<void> {
  const row = await store.database.db.staff.findUnique({ where: { id } });
  if (!row) throw notFound("Staff account");
  await signIns.clear(normaliseEmail(row.email));
  await store.transaction(({ audit }) =>
    audit.append({ actorType: "staff", actorId, action: "staff.sign_in_hold_cleared", subjectId: id }),
  );
}

/** Sets a new password and signs the account out everywhere (console or CLI; an admin's act). */
export async function resetPassword(store: Store, id: string, password: string, actorId: string | null): Promise<StaffView> {
  const passwordHash = await hashPassword(password);
  return store.transaction(async ({ tx, now, audit }) => {
    if (!(await tx.staff.findUnique({ where: { id } }))) throw notFound("Staff account");
    const row = await tx.staff.update({ where: { id }, data: { passwordHash } });
    await tx.staffLogin.updateMany({ where: { staffId: id, revokedAt: null }, data: { revokedAt: now } });
    await audit.append({ actorType: actorId ? "staff" : "system", actorId, action: "staff.password_reset", subjectId: id });
    return viewStaff(row);
  });
}

/** The exact commands that create the first admin, for the start-up log and the sign-in page. */
export const firstAdminAdvice =
  "No staff accounts exist yet. Create the first admin with " +
  '`npm run cli -- staff:add --email you@example.org --name "Your Name" --roles admin,staff` (it asks for a password), ' +
  "or start Gatekeeper once with GATEKEEPER_ADMIN_EMAIL, GATEKEEPER_ADMIN_PASSWORD and GATEKEEPER_ADMIN_NAME set.";

/** Creates the first admin from configuration when there are no staff at all. */
export async function ensureFirstAdmin(store: Store, admin: { email: string; password: string; name: string }): Promise<StaffView | null> {
  if (!(await noStaffYet(store))) return null;
  return createStaff(store, { ...admin, roles: ["admin", "staff"] }, null);
}

/** Checks e-mail and password; unknown e-mail and wrong password cost the same and look the same. */
export async function authenticate(store: Store, emailInput: string, password: string): Promise<StaffView | null> {
  const email = normaliseEmail(emailInput);
  const row = await store.database.db.staff.findUnique({ where: { email } });
  const ok = await verifyPassword(password, row?.passwordHash ?? (await decoyPasswordHash()));
  const staff = ok && row?.active ? row : null;
  await store.transaction(({ audit }) =>
    audit.append({
      actorType: staff ? "staff" : "system",
      actorId: staff?.id ?? null,
      action: staff ? "auth.login" : "auth.login_failed",
      subjectId: row?.id ?? null,
      // A failed attempt keeps a masked form of what was typed: enough for the DSL to see repeated
      // guessing at one account, never a password someone typed into the e-mail box.
      data: staff ? {} : { email: maskTyped(email) },
    }),
  );
  return staff && viewStaff(staff);
}

export async function startLogin(store: Store, staffId: string, hours: number): Promise<string> {
  const token = newToken();
  await store.database.db.staffLogin.create({
    data: { staffId, tokenHash: hashToken(token), expiresAt: new Date(store.now().getTime() + hours * 3_600_000) },
  });
  return token;
}

export async function resolveLogin(store: Store, token: string): Promise<StaffView | null> {
  const login = await store.database.db.staffLogin.findUnique({ where: { tokenHash: hashToken(token) }, include: { staff: true } });
  if (!login || login.revokedAt || login.expiresAt <= store.now() || !login.staff.active) return null;
  return viewStaff(login.staff);
}

export async function endLogin(store: Store, token: string): Promise<void> {
  await store.transaction(async ({ tx, now, audit }) => {
    const login = await tx.staffLogin.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!login || login.revokedAt) return;
    await tx.staffLogin.update({ where: { id: login.id }, data: { revokedAt: now } });
    await audit.append({ actorType: "staff", actorId: login.staffId, action: "auth.logout" });
  });
}

/** True until the first staff account exists (the first-run advice). */
export async function noStaffYet(store: Store): Promise<boolean> {
  return !(await readStaffExists(queryableOf(store.database.db)));
}
