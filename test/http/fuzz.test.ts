// A standing fuzz test: fast-check sends hostile requests to every route in the route table
// (/docs/json), as every kind of caller, on both providers: wrong types, missing and extra
// fields, NUL and lone surrogates, long strings, deep nesting, __proto__ and constructor keys,
// far dates, bidi and emoji, in path ids, query values and bodies. It fails on any 5xx, on any
// refused-as-invalid request that still wrote to the audit trail, and on any token handed to a
// caller who was refused or who has no account.
import fc from "fast-check";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeTable } from "../helpers/app.ts";
import { providers } from "../helpers/db.ts";
import { addMember, type Org, schedule, startOrg } from "../helpers/scenario.ts";

/** Requests per provider; both providers together make at least 10,000 in CI. */
const runs = Number(process.env.GATEKEEPER_FUZZ_RUNS ?? 5_000);

const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\ud800",
    "\udfff x",
    "a\u202eb",
    "😀👩‍👩‍👧",
    "__proto__",
    "constructor",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2026-02-30T25:61:00Z",
    "-1",
    "1e309",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "",
  ),
  fc.constant("x".repeat(70_000)),
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    hostileText,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("email", "password", "title", "memberIds", "startsAt", "lines")), tie("value"), {
      maxKeys: 5,
    }),
  ),
})).value;

/** A body as the bytes a client would send: JSON of hostile values, or JSON no serialiser makes. */
const hostileBody = fc.oneof(
  hostileValue.map((v) => JSON.stringify(v) ?? "null"),
  fc.constantFrom(
    '{"__proto__":{"isAdmin":true},"email":"a@example.org","password":"x"}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    `${"[".repeat(5_000)}${"]".repeat(5_000)}`,
    '{"email": ',
    "not json at all",
    `{"lines":[${Array(2_000).fill('"x"').join(",")}]}`,
  ),
);

/** A path segment as a client would send it; a lone surrogate goes as the bytes UTF-8 gives it. */
function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...Buffer.from(text, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
  }
}

describe.each(providers)("fuzzing every route on %s", (provider) => {
  let org: Org;
  let routes: { method: string; path: string }[];
  let ids: string[];
  let tokens: string[];
  beforeAll(async () => {
    org = await startOrg(provider, { LINK_TOKEN_RATE_LIMIT: "1000000", LOGIN_ACCOUNT_LIMIT: "1000" });
    const member = await addMember(org, { name: "Fuzz" });
    const s = await schedule(org, [member.id]);
    ids = [s.id, member.id, s.attendees[0]!.id, org.leadId];
    tokens = [s.attendees[0]!.invite, s.attendees[0]!.carer!];
    routes = await routeTable(org.app);
  });
  afterAll(async () => org?.t.close());

  it(`${runs} hostile requests: never a 5xx, never an audit row from invalid input, never a token to a stranger`, async () => {
    const callers = () => [undefined, org.admin, org.lead, org.other];
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(fc.oneof(hostileText, fc.constantFrom(...ids), fc.constantFrom(...tokens)), { minLength: 3, maxLength: 3 }),
        fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("from", "to", "format", "sessionId")), hostileText, {
          maxKeys: 3,
        }),
        hostileBody,
        fc.nat({ max: 3 }),
        async (pick, params, query, body, who) => {
          const route = routes[pick % routes.length]!;
          let i = 0;
          const path = route.path.replace(/\{(\w+)\}/g, () => encodeSegment(params[i++ % params.length] as string));
          const search = new URLSearchParams(query as Record<string, string>).toString();
          const cookie = callers()[who];
          const before = await org.t.database.db.auditEvent.count();
          const res: LightMyRequestResponse = await org.app.inject({
            method: route.method as "GET",
            url: `${path}${search ? `?${search}` : ""}`,
            headers: { ...(cookie ? { cookie } : {}), ...(route.method === "GET" ? {} : { "content-type": "application/json" }) },
            ...(route.method === "GET" ? {} : { payload: body }),
          });
          sent++;
          const what = `${route.method} ${route.path} → ${res.statusCode}: ${res.body.slice(0, 200)}`;
          expect(res.statusCode, what).toBeLessThan(500);
          if ([400, 413, 415].includes(res.statusCode)) expect(await org.t.database.db.auditEvent.count(), what).toBe(before);
          const jwt = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/.test(res.body);
          if (res.statusCode >= 400 || !cookie) expect(jwt, what).toBe(false);
        },
      ),
      { numRuns: runs },
    );
    expect(sent).toBeGreaterThanOrEqual(runs);
  }, 600_000);
});
