// Backups that restore (SQLite): the CLI copies the database of a running service in the middle of
// a burst of admissions; the copy restores into a new file, a service starts on it, the audit
// chain verifies and every admission acknowledged before the copy began is there. Restoring over
// a database someone has open is refused; restoring over a closed one keeps what it replaced.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { sqlitePath } from "../../../src/adapters/db/connection.ts";
import { scratchDatabase } from "../../helpers/db.ts";
import { addMember, call, enterWaiting, schedule, startOrg, startSession } from "../../helpers/scenario.ts";

const run = promisify(execFile);

/** The operator's command line, in a process of its own, as `npm run cli -- …` runs it. */
async function cli(databaseUrl: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "development" },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("backups of a running SQLite database", () => {
  it("a copy made during a burst of admissions restores, verifies, and holds every admission acknowledged before it began", async () => {
    const live = await scratchDatabase("sqlite");
    const restored = await scratchDatabase("sqlite");
    const file = join(tmpdir(), `gatekeeper-backup-${Date.now()}.db`);
    const org = await startOrg("sqlite", {}, live);
    try {
      const members = [];
      for (let i = 0; i < 40; i++) members.push(await addMember(org, { name: `Member ${i}`, livesWithCarer: false }));
      const s = await schedule(
        org,
        members.map((m) => m.id),
        { delivery: "venue" },
      );
      for (const a of s.attendees) await enterWaiting(org, a.invite);
      await startSession(org, s.id);

      // The burst: four members of staff letting people in and sending them back to wait, over
      // and over, until the copy is done. Each admission acknowledged is noted with its time.
      const acknowledged: { id: string; at: number }[] = [];
      let copying = true;
      const admitting = Promise.all(
        [0, 1, 2, 3].map(async (hand) => {
          const mine = s.attendees.filter((_, i) => i % 4 === hand);
          for (let turn = 0; copying; turn++) {
            const a = mine[turn % mine.length]!;
            const res = await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead);
            if (res.statusCode === 200 && res.json().admission.admitted) acknowledged.push({ id: a.id, at: Date.now() });
            await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/return-to-waiting`, org.lead);
          }
        }),
      );
      while (acknowledged.length < 10) await new Promise((r) => setTimeout(r, 10));
      const began = Date.now();
      const before = acknowledged.filter((x) => x.at <= began);
      const backup = await cli(live.url, "backup", file);
      const ended = Date.now();
      copying = false;
      await admitting;
      expect(backup.stderr).toBe("");
      expect(backup.code).toBe(0);
      expect(backup.stdout).toContain(`to ${file}`);
      // The copy really was made while admissions were being written.
      expect(acknowledged.filter((x) => x.at > began && x.at < ended).length).toBeGreaterThan(0);

      // Refused: restoring over the database the running service has open.
      const refused = await cli(live.url, "restore", file);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("stop Gatekeeper first");

      // Into a new file, and a service started on it.
      const restoring = await cli(restored.url, "restore", file);
      expect(restoring.stderr).toBe("");
      expect(restoring.code).toBe(0);
      const again = await startOrg("sqlite", {}, restored, { reuseStaff: true });
      try {
        const verify = await call(again, "GET", "/api/audit/verify", again.admin);
        expect(verify.json()).toMatchObject({ ok: true });
        // Every admission acknowledged before the copy began is in it, with its audit event.
        const decisions = await again.t.database.db.admissionDecision.findMany({ where: { sessionId: s.id, action: "admit" } });
        const events = await again.t.database.db.auditEvent.count({ where: { sessionId: s.id, action: "attendee.admit" } });
        expect(events).toBe(decisions.length);
        const inCopy = (id: string) => decisions.filter((d) => d.attendeeId === id).length;
        const acked = (id: string) => before.filter((x) => x.id === id).length;
        expect(s.attendees.filter((a) => inCopy(a.id) < acked(a.id)).map((a) => a.displayName)).toEqual([]);
        expect(decisions.length).toBeGreaterThanOrEqual(before.length);
      } finally {
        await again.t.close();
      }

      // Restoring over a database nobody has open keeps the one it replaces.
      const second = await cli(restored.url, "restore", file);
      expect(second.code).toBe(0);
      const keptAs = /kept as (\S+)$/m.exec(second.stdout)?.[1];
      expect(keptAs && existsSync(keptAs)).toBe(true);
      expect(readFileSync(sqlitePath(restored.url)).equals(readFileSync(file))).toBe(true);
      if (keptAs) rmSync(keptAs);

      // Nonsense in: a clear refusal, nothing changed.
      expect((await cli(live.url, "backup", file)).stderr).toContain("already exists");
      const notADatabase = join(tmpdir(), `gatekeeper-not-a-db-${Date.now()}.db`);
      await import("node:fs").then((fs) => fs.writeFileSync(notADatabase, "hello"));
      const bad = await cli(restored.url, "restore", notADatabase);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("is not a Gatekeeper database");
      rmSync(notADatabase);
    } finally {
      await org.t.close();
      await live.drop();
      await restored.drop();
      rmSync(file, { force: true });
    }
  }, 180_000);
});
