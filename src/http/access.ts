// Who may call each route, declared next to the route as `config: { access: "admins" }`. The
// declaration is enforced here for what the request alone shows (signed in, which roles) and by
// the domain for what needs the data (whether you are this session's staff, whether you raised
// this concern, whether the link exists), in the same transaction as what it does. A route that
// reads a body also has the data checked before the body is validated, so a caller who may not
// use it learns nothing from its validation errors. A route under /api, /ws or /webhooks without a declaration stops the service
// starting. The authorization matrix test reads the declarations (`app.accessTable`, and
// `x-access` in the OpenAPI document) and tries every route as eight kinds of caller.
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import { DomainError, forbidden, notFound } from "../domain/errors.ts";
import { groupStaffIds } from "../domain/groups/groups.ts";
import { linkNotFound } from "../domain/invitee.ts";
import { type LinkKind, linkKnown } from "../domain/links.ts";
import type { Role } from "../domain/roles.ts";
import { assertAssigned, mayWatch, sessionStaffIds } from "../domain/sessions.ts";

interface Level {
  /** What the console's reference says about who may call it. */
  who: string;
  /** Needs a signed-in console account (holding one of `roles`, when given). */
  signedIn?: true;
  roles?: Role[];
}

export const accessLevels = {
  anyone: { who: "Anyone." },
  "invitee link": { who: "Whoever holds the invite link in the path (the link is the credential)." },
  "carer link": { who: "Whoever holds the carer link in the path." },
  livekit: { who: "LiveKit, with a body signed by the API secret." },
  "signed in": { who: "Any signed-in console account.", signedIn: true },
  "session watchers": { who: "The session's lead and second member of staff, the DSL and admins.", signedIn: true },
  "session staff": { who: "The session's lead and second member of staff.", signedIn: true },
  "session lead": { who: "The session's lead.", signedIn: true },
  "group watchers": { who: "The group's lead and second member of staff, the DSL and admins.", signedIn: true },
  "concern readers": { who: "Whoever raised the concern, and the DSL.", signedIn: true },
  dsl: { who: "The designated safeguarding lead.", signedIn: true, roles: ["dsl"] },
  "dsl and admins": { who: "The DSL and admins.", signedIn: true, roles: ["dsl", "admin"] },
  admins: { who: "Admins.", signedIn: true, roles: ["admin"] },
} satisfies Record<string, Level>;

export type Access = keyof typeof accessLevels;

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Every declared route with who may call it, in the order they were registered. */
    accessTable: { method: string; url: string; access: Access; websocket: boolean }[];
  }
}

const declared = /^\/(api|ws|webhooks)\//;

/** Call once, before any route is registered: collects and checks every route's declaration. */
export function declareAccess(app: FastifyInstance): void {
  app.decorate("accessTable", []);
  app.addHook("onRoute", (route: RouteOptions) => {
    const access = route.config?.access;
    if (!access) {
      if (declared.test(route.url)) throw new Error(`${route.method} ${route.url} does not declare config.access`);
      return;
    }
    if (!(access in accessLevels)) throw new Error(`${route.method} ${route.url} declares an unknown access "${access}"`);
    for (const method of [route.method].flat()) {
      if (method === "HEAD") continue;
      app.accessTable.push({ method, url: route.url, access, websocket: Boolean(route.websocket) });
    }
  });
}

/** onRequest: refuses a caller the route's declaration already rules out. */
export async function enforceAccess(request: FastifyRequest): Promise<void> {
  const access = request.routeOptions.config.access;
  if (!access) return;
  const level: Level = accessLevels[access];
  if (!level.signedIn) return;
  if (!request.staff) throw new DomainError(401, "unauthenticated", "Sign in to the console first");
  if (level.roles && !request.staff.roles.some((r) => level.roles?.includes(r))) throw forbidden(level.who.replace(/\.$/, " only."));
}

const links: Partial<Record<Access, LinkKind>> = { "invitee link": "invite", "carer link": "carer" };

/**
 * preValidation, for a route that reads a body: settles what needs the data (the link exists, you
 * are this session's staff) before the body is validated. Routes without a body leave it to the
 * domain's own check, which runs anyway. A malformed id or token is left to the schema (400).
 */
export async function enforceAccessBeforeBody(request: FastifyRequest): Promise<void> {
  const { access } = request.routeOptions.config;
  if (!access || !request.routeOptions.schema?.body) return;
  const params = request.params as { id?: unknown; token?: unknown };
  const { ctx } = request.server;
  const kind = links[access];
  if (kind) {
    if (typeof params.token === "string" && params.token.length <= 64 && !(await linkKnown(ctx, params.token, kind))) throw linkNotFound();
    return;
  }
  if (typeof params.id !== "string" || params.id.length > 64) return;
  if (access === "group watchers") {
    const group = await groupStaffIds(ctx, params.id);
    if (!group) throw notFound("Group");
    if (request.staff && !mayWatch(request.staff, group)) throw forbidden("Only the group's staff, the DSL and admins can change it.");
    return;
  }
  if (!access.startsWith("session ")) return;
  const session = await sessionStaffIds(ctx, params.id);
  const staff = request.staff;
  if (!session) throw notFound("Session");
  if (!staff) return;
  if (access === "session watchers" && !mayWatch(staff, session))
    throw forbidden("Only the session's staff, the DSL and admins can see it.");
  if (access === "session staff") assertAssigned(session, staff);
  if (access === "session lead" && session.leadStaffId !== staff.id) throw forbidden("Only the session's lead can start it.");
}
