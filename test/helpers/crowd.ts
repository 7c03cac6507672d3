// A crowd written straight into the database, for benchmarks and large-session tests (the API
// would take minutes for thousands of people): a live home session whose lead is in the room, and members who each have a carer,
// video consent, a carer's confirmation, agreement to the guidelines, and an invite link.
import { randomBytes } from "node:crypto";
import type { Database } from "../../src/adapters/db/client.ts";
import { hashToken, newToken } from "../../src/domain/secrets.ts";
import { readSettings } from "../../src/domain/settings.ts";

export interface BenchSession {
  sessionId: string;
  attendees: { id: string; invite: string }[];
}

/**
 * A fixed-offset time zone in which `now` is around midday, so that a session from a few minutes
 * ago to three hours on lies inside the default agreed hours (08:00-21:00) at whatever hour a
 * benchmark runs (Etc/GMT-N is N hours ahead of UTC).
 */
function middayTimeZone(now: Date): string {
  const ahead = 12 - now.getUTCHours();
  return ahead >= 0 ? `Etc/GMT-${ahead}` : `Etc/GMT+${-ahead}`;
}

/** Also sets the organisation's time zone to `middayTimeZone(now)`, keeping its other settings. */
/**
 * `arriving`: the people have not opened their links yet (invited, guidelines not agreed), as
 * at the top of the hour; otherwise they are already waiting.
 */
export async function liveSession(
  database: Database,
  leadId: string,
  people: number,
  now: Date,
  { arriving = false }: { arriving?: boolean } = {},
): Promise<BenchSession> {
  const { db } = database;
  const settings = await readSettings(db);
  const row = {
    timeZone: middayTimeZone(now),
    agreedHours: settings.agreedHours,
    emergencyName: settings.emergencyContact.name,
    emergencyPhone: settings.emergencyContact.phone,
  };
  await db.settings.upsert({ where: { id: "org" }, create: { id: "org", ...row }, update: { timeZone: row.timeZone } });
  const session = await db.session.create({
    data: {
      title: "Bench group",
      startsAt: new Date(now.getTime() - 5 * 60_000),
      endsAt: new Date(now.getTime() + 3 * 3_600_000),
      delivery: "home",
      leadStaffId: leadId,
      roomName: `gk_${randomBytes(12).toString("base64url")}`,
      status: "live",
      startedAt: now,
      createdById: leadId,
    },
  });
  await db.attendance.create({
    data: { eventId: `bench-${session.id}`, sessionId: session.id, identity: `staff:${leadId}`, staffId: leadId, event: "joined", at: now },
  });
  const attendees: BenchSession["attendees"] = [];
  const batch = 500;
  for (let start = 0; start < people; start += batch) {
    const ids = Array.from({ length: Math.min(batch, people - start) }, () => ({
      member: crypto.randomUUID(),
      carer: crypto.randomUUID(),
      attendee: crypto.randomUUID(),
      invite: newToken(),
    }));
    await db.member.createMany({ data: ids.map((x, i) => ({ id: x.member, displayName: `Member ${start + i}`, livesWithCarer: true })) });
    await db.carer.createMany({ data: ids.map((x) => ({ id: x.carer, memberId: x.member, name: "Carer" })) });
    await db.consent.createMany({
      data: ids.map((x) => ({
        memberId: x.member,
        type: "video",
        givenBy: "carer",
        carerId: x.carer,
        method: "written",
        recordedById: leadId,
      })),
    });
    await db.attendee.createMany({
      data: ids.map((x, i) => ({
        id: x.attendee,
        sessionId: session.id,
        kind: "member",
        memberId: x.member,
        displayName: `Member ${start + i}`,
        state: arriving ? "invited" : "waiting",
      })),
    });
    await db.link.createMany({ data: ids.map((x) => ({ attendeeId: x.attendee, kind: "invite", tokenHash: hashToken(x.invite) })) });
    await db.carerConfirmation.createMany({
      data: ids.map((x) => ({ attendeeId: x.attendee, linkId: "bench", present: true, termsVersion: 1 })),
    });
    // Agreement to the member guidelines in force now (1 until someone publishes new ones).
    const current = await db.guidelinesVersion.findFirst({ where: { audience: "member" }, orderBy: { version: "desc" } });
    const version = current?.version ?? 1;
    if (!arriving)
      await db.guidelinesAgreement.createMany({ data: ids.map((x) => ({ attendeeId: x.attendee, memberId: x.member, version })) });
    attendees.push(...ids.map((x) => ({ id: x.attendee, invite: x.invite })));
  }
  return { sessionId: session.id, attendees };
}
