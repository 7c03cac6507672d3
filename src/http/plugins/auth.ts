// Staff sign-in for the console: a random id in an httpOnly, SameSite=Strict cookie (Secure
// when PUBLIC_URL is https), looked up server-side on each request. State-changing requests and
// WebSocket upgrades whose Origin is not ours are refused before anything else runs.
import cookie from "@fastify/cookie";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { DomainError } from "../../domain/errors.ts";
import { resolveLogin, type StaffView } from "../../domain/staff.ts";

const sessionCookie = "gk_session";

declare module "fastify" {
  interface FastifyRequest {
    staff: StaffView | null;
    /** The raw sign-in token from the cookie, when it was valid. */
    loginToken: string | null;
  }
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function allowedOrigins(app: FastifyInstance): Set<string> {
  const { PUBLIC_URL, publicUrlGiven, PORT } = app.config;
  const origins = new Set([PUBLIC_URL]);
  if (!publicUrlGiven) for (const host of ["localhost", "127.0.0.1", "[::1]"]) origins.add(`http://${host}:${PORT}`);
  return origins;
}

export const authPlugin = fp(
  async (app: FastifyInstance) => {
    // Signed with the current secret; sign-ins made under a previous one still count (rotation).
    await app.register(cookie, { secret: [app.config.SESSION_SECRET, ...app.config.SESSION_SECRET_PREVIOUS] });
    const origins = allowedOrigins(app);

    app.decorateRequest("staff", null);
    app.decorateRequest("loginToken", null);

    app.addHook("onRequest", async (request) => {
      const origin = request.headers.origin;
      // A WebSocket upgrade is a GET, but opens a live feed: it is checked like a change is.
      const upgrade = request.headers.upgrade?.toLowerCase() === "websocket";
      if (origin !== undefined && (unsafeMethods.has(request.method) || upgrade) && !origins.has(origin)) {
        throw new DomainError(403, "origin_refused", "Requests from this origin are not accepted");
      }
      const raw = request.cookies[sessionCookie];
      if (!raw) return;
      const unsigned = request.unsignCookie(raw);
      if (!unsigned.valid || !unsigned.value) return;
      const staff = await resolveLogin(app.ctx, unsigned.value);
      if (staff) {
        request.staff = staff;
        request.loginToken = unsigned.value;
      }
    });
  },
  { name: "auth", dependencies: ["context"] },
);

export function setSessionCookie(app: FastifyInstance, reply: FastifyReply, token: string): void {
  reply.setCookie(sessionCookie, token, {
    path: "/",
    httpOnly: true,
    sameSite: "strict",
    secure: app.config.PUBLIC_URL.startsWith("https:"),
    signed: true,
    maxAge: Math.round(app.config.STAFF_SESSION_HOURS * 3600),
  });
}

export function clearSessionCookie(app: FastifyInstance, reply: FastifyReply): void {
  reply.clearCookie(sessionCookie, {
    path: "/",
    httpOnly: true,
    sameSite: "strict",
    secure: app.config.PUBLIC_URL.startsWith("https:"),
  });
}

/** The signed-in staff member; only on routes whose access needs one (the access hook checked). */
export function currentStaff(request: FastifyRequest): StaffView {
  if (!request.staff) throw new DomainError(401, "unauthenticated", "Sign in to the console first");
  return request.staff;
}
