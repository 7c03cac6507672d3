// Volunteers on file, like members: chosen when scheduling, invited by e-mail when they have an
// address, and known across sessions (the keep-apart rule will need that).
import type { Ctx } from "./context.ts";
import { assertRoomName } from "./members.ts";

export interface VolunteerInput {
  displayName: string;
  email?: string;
}

const view = (v: { id: string; displayName: string; email: string | null; createdAt: Date }) => ({
  id: v.id,
  displayName: v.displayName,
  email: v.email,
  createdAt: v.createdAt,
});

export async function createVolunteer(ctx: Ctx, input: VolunteerInput, actorId: string) {
  assertRoomName(input.displayName);
  return ctx.transaction(async ({ tx, audit }) => {
    const volunteer = await tx.volunteer.create({
      data: { displayName: input.displayName, email: input.email ?? null, createdById: actorId },
    });
    await audit.append({
      actorType: "staff",
      actorId,
      action: "volunteer.created",
      subjectId: volunteer.id,
      data: { hasEmail: volunteer.email !== null },
    });
    return view(volunteer);
  });
}

export async function listVolunteers(ctx: Ctx) {
  return (await ctx.database.db.volunteer.findMany({ orderBy: [{ displayName: "asc" }, { id: "asc" }] })).map(view);
}
