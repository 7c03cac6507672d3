// /metrics, scraped as Prometheus would, after a session's worth of decisions: the names the
// dashboard uses are all there, the figures follow what happened, only a bearer token (or the
// separate port) gets them, and no personal data is in any of it: no name, e-mail address, id of
// a person, session or room, and no link token.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providers } from "../helpers/db.ts";
import { addMember, call, enterWaiting, type Org, readyToAdmit, schedule, startOrg, startSession } from "../helpers/scenario.ts";
import { state, TestSocket } from "../helpers/socket.ts";

const metricsToken = "a-metrics-token-for-the-tests";

/** Every sample of one metric (name, labels as written, value) in an exposition. */
function samples(body: string, name: string): { labels: string; value: number }[] {
  return body
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const [, labels = "", value = "NaN"] = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(line) ?? [];
      return { labels, value: Number(value) };
    });
}
const value = (body: string, name: string, labels = "") => samples(body, name).find((s) => s.labels === labels)?.value;

describe.each(providers)("metrics on %s", (provider) => {
  let org: Org & { base: string };
  beforeAll(async () => {
    org = await startOrg(provider, { METRICS_TOKEN: metricsToken });
  });
  afterAll(async () => org?.t.close());

  const scrape = (authorization?: string) =>
    org.app.inject({ method: "GET", url: "/metrics", headers: authorization ? { authorization } : {} });

  it("only the bearer token gets the figures", async () => {
    expect((await scrape()).statusCode).toBe(401);
    expect((await scrape("Bearer not-the-token")).statusCode).toBe(401);
    expect((await scrape(`Basic ${metricsToken}`)).statusCode).toBe(401);
    expect((await call(org, "GET", "/metrics", org.admin)).statusCode).toBe(401);
    const res = await scrape(`Bearer ${metricsToken}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it("follows admissions, refusals by rule, waits, tokens on pages and open pages, with no personal data anywhere", async () => {
    const base = (await org.app.listen({ port: 0, host: "127.0.0.1" })).replace("http:", "ws:");
    // Alex: let in, with the page open (the token goes out on it).
    const { s, a } = await readyToAdmit(org, { name: "Alex Zebedee" });
    const page = await TestSocket.open(`${base}/ws/join/${a.invite}`);
    await page.next(state("waiting"));
    const consoleSocket = await TestSocket.open(`${base}/ws/console/sessions/${s.id}`, { cookie: org.lead });
    await consoleSocket.next((m) => m.type === "snapshot");
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead)).json().admission.admitted).toBe(true);
    await page.next(state("admitted"));
    // Bo: their carer has not confirmed (R2), so the admission is refused; then staff refuse them.
    const bo = await addMember(org, { name: "Bo Quixote" });
    const s2 = await schedule(org, [bo.id]);
    const b = s2.attendees[0]!;
    await enterWaiting(org, b.invite);
    await startSession(org, s2.id);
    expect((await call(org, "POST", `/api/sessions/${s2.id}/attendees/${b.id}/admit`, org.lead)).statusCode).toBe(409);
    expect(
      (await call(org, "POST", `/api/sessions/${s2.id}/attendees/${b.id}/refuse`, org.lead, { message: "Not today, sorry." })).statusCode,
    ).toBe(200);

    const body = (await scrape(`Bearer ${metricsToken}`)).body;
    expect(value(body, "gatekeeper_admission_decisions_total", 'action="admit"')).toBe(1);
    expect(value(body, "gatekeeper_admission_decisions_total", 'action="denied"')).toBe(1);
    expect(value(body, "gatekeeper_admission_decisions_total", 'action="refuse"')).toBe(1);
    expect(value(body, "gatekeeper_refusals_by_rule_total", 'rule="R2.carer-present"')).toBe(1);
    expect(value(body, "gatekeeper_wait_before_admission_seconds_count")).toBe(1);
    expect(value(body, "gatekeeper_admit_to_token_seconds_count")).toBe(1);
    expect(value(body, "gatekeeper_open_pages", 'page="waiting"')).toBe(1);
    expect(value(body, "gatekeeper_open_pages", 'page="console"')).toBe(1);
    expect(value(body, "gatekeeper_people", 'state="admitted"')).toBe(1);
    expect(value(body, "gatekeeper_people", 'state="waiting"')).toBe(0);
    expect(value(body, "gatekeeper_group_commit_size_count", 'batch="admit"')).toBeGreaterThanOrEqual(2);
    expect(value(body, "gatekeeper_db_transaction_seconds_count", 'outcome="committed"')).toBeGreaterThan(10);
    expect(value(body, "gatekeeper_livekit_api_seconds_count", 'operation="createRoom"')).toBeGreaterThanOrEqual(2);
    expect(value(body, "gatekeeper_livekit_webhook_lag_seconds_count")).toBeGreaterThan(0);
    // Invitations to the carers wait in the outbox (no mail server in this test).
    expect(value(body, "gatekeeper_outbox_messages", 'queue="pending"')).toBeGreaterThan(0);
    for (const name of ["nodejs_eventloop_lag_seconds", "process_resident_memory_bytes", "nodejs_gc_duration_seconds_count"])
      expect(samples(body, name).length, name).toBeGreaterThan(0);

    // No personal data: every label value is a word from a fixed vocabulary, and nothing the
    // database knows about a person, a session or a link appears anywhere in the text.
    for (const line of body.split("\n").filter((l) => l && !l.startsWith("#")))
      for (const [, labelValue] of line.matchAll(/="([^"]*)"/g)) expect(labelValue, line).toMatch(/^[A-Za-z0-9_. +-]*$/);
    const db = org.t.database.db;
    const secrets = [
      ...(await db.attendee.findMany()).flatMap((x) => [x.id, x.displayName]),
      ...(await db.member.findMany()).flatMap((x) => [x.id, x.displayName]),
      ...(await db.staff.findMany()).flatMap((x) => [x.id, x.name, x.email]),
      ...(await db.session.findMany()).flatMap((x) => [x.id, x.roomName, x.title]),
      ...(await db.carer.findMany()).flatMap((x) => [x.id, x.name, x.email ?? "", x.phone ?? ""]),
      a.invite,
      a.carer!,
      b.invite,
      "Alex",
      "Zebedee",
      "Quixote",
    ].filter((x) => x.length >= 4);
    for (const secret of secrets) expect(body.includes(secret), secret).toBe(false);
    await Promise.all([page.close(), consoleSocket.close()]);
  });

  it("every metric the Grafana dashboard draws is one the service reports", async () => {
    const dashboard = JSON.parse(readFileSync("deploy/grafana-dashboard.json", "utf8")) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    const body = (await scrape(`Bearer ${metricsToken}`)).body;
    const reported = new Set(
      [...body.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name, type]) =>
        type === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name!],
      ),
    );
    const drawn = dashboard.panels.flatMap((p) =>
      (p.targets ?? []).flatMap((t) => t.expr.match(/\b(?:gatekeeper|nodejs|process)_[a-z0-9_]+/g) ?? []),
    );
    expect(drawn.length).toBeGreaterThan(10);
    expect(drawn.filter((name) => !reported.has(name))).toEqual([]);
    // And every gatekeeper_ metric has a panel.
    const ours = [...reported].filter((n) => n.startsWith("gatekeeper_") && !/_(sum|count)$/.test(n));
    const histogramsDrawn = new Set(drawn.map((n) => n.replace(/_(bucket|sum|count)$/, "")));
    expect(ours.filter((n) => !histogramsDrawn.has(n.replace(/_bucket$/, "")))).toEqual([]);
  });
});

describe("metrics on a port of their own", () => {
  let org: Org & { base: string };
  beforeAll(async () => {
    org = await startOrg("sqlite", { METRICS_PORT: "0" }, undefined, { listen: true });
  });
  afterAll(async () => org?.t.close());

  it("serves /metrics there and nothing else; the service's own port has none", async () => {
    const address = org.app.metricsServer?.address();
    if (!address || typeof address === "string") throw new Error("the metrics port is not listening");
    const metricsBase = `http://127.0.0.1:${address.port}`;
    const res = await fetch(`${metricsBase}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("gatekeeper_admission_decisions_total");
    expect((await fetch(`${metricsBase}/api/auth/me`)).status).toBe(404);
    expect((await fetch(`${metricsBase}/metrics`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${org.base}/metrics`)).status).toBe(404);
  });
});
