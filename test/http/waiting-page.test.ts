// A waiting page that knows you, over the API and real sockets on a real database: the lead's
// photo (uploaded by them, re-encoded by sharp with no metadata left, served through the link)
// and "Lee knows you are here." once a console has shown the person waiting.
import { crc32 } from "node:zlib";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { providers } from "../helpers/db.ts";
import { call, clock, type Org, readyToAdmit, startOrg } from "../helpers/scenario.ts";
import { state, TestSocket } from "../helpers/socket.ts";

/** A camera's JPEG: large, sideways by its EXIF orientation, carrying words that must not survive. */
async function cameraPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 180, g: 120, b: 60 } } })
    .withExif({ IFD0: { ImageDescription: "home-at-12-Acacia-Avenue", Copyright: "Lee Lead" } })
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();
}

describe.each(providers)("a waiting page that knows you on %s", (provider) => {
  let org: Org;
  let base: string;
  beforeAll(async () => {
    org = await startOrg(provider);
    base = (await org.app.listen({ port: 0, host: "127.0.0.1" })).replace("http:", "ws:");
  });
  afterAll(async () => org.t.close());
  beforeEach(() => {
    clock.now = new Date("2026-03-03T13:50:00Z");
  });

  const upload = (cookie: string | undefined, body: Buffer | string, type = "image/jpeg") =>
    org.app.inject({
      method: "PUT",
      url: "/api/staff/me/photo",
      headers: { "content-type": type, ...(cookie ? { cookie } : {}) },
      payload: body,
    });

  it("the lead's photo: uploaded by them, stripped and squared, shown through the member's link; removed on request", async () => {
    const { a } = await readyToAdmit(org, { name: "Alex" });
    const invite = async () => (await call(org, "GET", `/api/join/${a.invite}`)).json();
    expect((await invite()).lead).toEqual({ firstName: "Lee", photo: false });
    expect((await call(org, "GET", `/api/join/${a.invite}/lead-photo`)).statusCode).toBe(404);

    expect((await upload(org.lead, await cameraPhoto())).statusCode).toBe(204);
    expect((await invite()).lead).toEqual({ firstName: "Lee", photo: true });
    const served = await call(org, "GET", `/api/join/${a.invite}/lead-photo`);
    expect(served.statusCode).toBe(200);
    expect(served.headers["content-type"]).toBe("image/webp");
    expect(served.headers["cache-control"]).toBe("no-store");
    const meta = await sharp(served.rawPayload).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 256, height: 256 });
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    const stored = await org.t.database.db.staffPhoto.findUniqueOrThrow({ where: { staffId: org.leadId } });
    expect(Buffer.from(stored.image).equals(served.rawPayload)).toBe(true);
    expect(Buffer.from(stored.image).includes("Acacia")).toBe(false);
    // Colleagues see it in the console too.
    const inConsole = await call(org, "GET", `/api/staff/${org.leadId}/photo`, org.other);
    expect(inConsole.rawPayload.equals(served.rawPayload)).toBe(true);

    expect((await call(org, "DELETE", "/api/staff/me/photo", org.lead)).statusCode).toBe(204);
    expect((await invite()).lead.photo).toBe(false);
    expect((await call(org, "GET", `/api/join/${a.invite}/lead-photo`)).statusCode).toBe(404);
    const trail = await org.t.database.db.auditEvent.findMany({ where: { subjectId: org.leadId, action: { startsWith: "staff.photo" } } });
    expect(trail.map((e) => [e.action, e.data])).toEqual([
      ["staff.photo_set", "{}"],
      ["staff.photo_removed", "{}"],
    ]);
  });

  it("bad uploads get a clear 4xx and change nothing", async () => {
    expect((await upload(org.second, await cameraPhoto())).statusCode).toBe(204);
    const before = await org.t.database.db.staffPhoto.findUniqueOrThrow({ where: { staffId: org.secondId } });

    const notAPicture = await upload(org.second, Buffer.from("this is not a picture at all"));
    expect(notAPicture.statusCode).toBe(400);
    expect(notAPicture.json().error.code).toBe("invalid_image");
    expect((await upload(org.second, "hello", "text/plain")).statusCode).toBe(415);
    expect((await upload(org.second, Buffer.alloc(0))).statusCode).toBe(415);
    expect((await upload(org.second, Buffer.alloc(6 * 1024 * 1024, 1))).statusCode).toBe(413);
    // A decompression bomb: a small, well-formed file whose header claims 50,000 × 50,000 pixels.
    const bomb = await sharp({ create: { width: 50_000, height: 1, channels: 3, background: "white" } })
      .png()
      .toBuffer();
    bomb.writeUInt32BE(50_000, 20);
    bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29);
    const refused = await upload(org.second, bomb, "image/png");
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe("invalid_image");
    expect((await upload(undefined, await cameraPhoto())).statusCode).toBe(401);

    const after = await org.t.database.db.staffPhoto.findUniqueOrThrow({ where: { staffId: org.secondId } });
    expect(after).toEqual(before);
  });

  it("once a console has shown someone waiting, their page says who knows they are here; only a new wait needs a new look", async () => {
    const { s, a } = await readyToAdmit(org, { name: "Bo" });
    const other = await readyToAdmit(org, { name: "Cy" });
    const page = await TestSocket.open(`${base}/ws/join/${a.invite}`);
    expect((await page.next(state("waiting"))).seenBy).toBeUndefined();

    const lead = await TestSocket.open(`${base}/ws/console/sessions/${s.id}`, { cookie: org.lead });
    await lead.next((m) => m.type === "snapshot");
    // Someone of another session is not this console's to mark.
    lead.ws.send(JSON.stringify({ type: "seen", attendeeIds: [a.id, other.a.id] }));
    expect(await page.next((m) => m.type === "state" && m.seenBy !== undefined)).toMatchObject({ state: "waiting", seenBy: "Lee" });

    // The second member of staff looking too changes nothing: the first look counts.
    const second = await TestSocket.open(`${base}/ws/console/sessions/${s.id}`, { cookie: org.second });
    await second.next((m) => m.type === "snapshot");
    second.ws.send(JSON.stringify({ type: "seen", attendeeIds: [a.id] }));
    second.ws.send(JSON.stringify({ type: "ping" }));
    await second.next((m) => m.type === "pong");
    const rows = await org.t.database.db.waitingSeen.findMany({ where: { attendeeId: { in: [a.id, other.a.id] } } });
    expect(rows.map((r) => [r.attendeeId, r.staffId])).toEqual([[a.id, org.leadId]]);
    const reopened = await TestSocket.open(`${base}/ws/join/${a.invite}`);
    expect(await reopened.next(state("waiting"))).toMatchObject({ seenBy: "Lee" });

    // Admitted, then sent back to wait: a new wait, not yet seen.
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead)).statusCode).toBe(200);
    await page.next(state("admitted"));
    clock.now = new Date("2026-03-03T14:05:00Z");
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/return-to-waiting`, org.lead)).statusCode).toBe(200);
    expect((await page.next(state("returned"))).seenBy).toBeUndefined();
    second.ws.send(JSON.stringify({ type: "seen", attendeeIds: [a.id] }));
    expect(await page.next((m) => m.type === "state" && m.state === "returned" && m.seenBy !== undefined)).toMatchObject({ seenBy: "Sol" });

    // Nonsense from a console is answered, not acted on; the record is append-only (R8).
    lead.ws.send(JSON.stringify({ type: "seen", attendeeIds: "everyone" }));
    expect(await lead.next((m) => m.type === "error")).toMatchObject({ message: "Unknown message." });
    await expect(org.t.database.db.$executeRawUnsafe(`DELETE FROM "WaitingSeen"`)).rejects.toThrow(/append-only/);
    await Promise.all([page.close(), reopened.close(), lead.close(), second.close()]);
  });
});
