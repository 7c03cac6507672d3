// zod schemas shared by several routes.
import { z } from "zod";
import { roleSchema } from "../domain/roles.ts";

export const idParam = z.object({ id: z.string().min(1).max(64) });

export const staffSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  roles: z.array(roleSchema),
  active: z.boolean(),
  createdAt: z.date(),
});

export const password = z.string().min(12, "must be at least 12 characters").max(200);
export const okBody = z.object({ ok: z.literal(true) });
