// The lead's face on the waiting page ("Sam will let you in."). Each member of staff uploads
// their own in the console; sharp re-encodes it (src/adapters/images) so the database holds a
// small square WebP with no metadata, never the file as uploaded. A photo is personal data, not a
// decision: replacing or removing one keeps nothing of it; the audit trail says only that it
// changed.

import type { Tx } from "../adapters/db/client.ts";
import { queryableOf } from "../adapters/db/driver.ts";
import { readPhotoOwners } from "../adapters/db/reads/shared.ts";
import { NotAnImage, normalisePhoto } from "../adapters/images/photo.ts";
import type { Ctx } from "./context.ts";
import { badRequest, notFound } from "./errors.ts";

export async function setPhoto(ctx: Ctx, staffId: string, upload: Buffer): Promise<void> {
  const image = await normalisePhoto(upload).catch((err: unknown) => {
    throw err instanceof NotAnImage
      ? badRequest("invalid_image", "That file is not a photo we can read. Use a JPEG, PNG or WebP picture.")
      : err;
  });
  await ctx.transaction(async ({ tx, now, audit }) => {
    await tx.staffPhoto.upsert({
      where: { staffId },
      create: { staffId, image: new Uint8Array(image), updatedAt: now },
      update: { image: new Uint8Array(image), updatedAt: now },
    });
    await audit.append({ actorType: "staff", actorId: staffId, action: "staff.photo_set", subjectId: staffId });
  });
}

export async function removePhoto(ctx: Ctx, staffId: string): Promise<void> {
  await ctx.transaction(async ({ tx, audit }) => {
    const { count } = await tx.staffPhoto.deleteMany({ where: { staffId } });
    if (count) await audit.append({ actorType: "staff", actorId: staffId, action: "staff.photo_removed", subjectId: staffId });
  });
}

/** A member of staff's photo (WebP), for the console. */
export async function photoOf(ctx: Pick<Ctx, "database">, staffId: string): Promise<Buffer> {
  const row = await ctx.database.db.staffPhoto.findUnique({ where: { staffId } });
  if (!row) throw notFound("Photo");
  return Buffer.from(row.image);
}

/** Whether the session's lead has a photo (the invite says so; the page asks for it then). */
export async function hasPhoto(tx: Tx, staffId: string): Promise<boolean> {
  return (await readPhotoOwners(queryableOf(tx), [staffId])).has(staffId);
}
