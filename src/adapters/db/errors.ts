// What a database error means for the caller, on either provider: another write took a unique
// key first (a conflict to report), or the database could not be reached, dropped the
// connection or timed out handing one out (worth one more try, then 503).

// Prisma's codes, and the drivers' own where the driver adapter passes them through.
const conflictCodes = new Set(["P2002", "P2034"]);
const unavailableCodes = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "ECONNREFUSED", "ECONNRESET", "57P01", "57P03", "53300"]);

export function databaseTrouble(err: unknown): "conflict" | "unavailable" | null {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && conflictCodes.has(code)) return "conflict";
    if (typeof code === "string" && unavailableCodes.has(code)) return "unavailable";
    if ((e as { name?: string }).name === "PrismaClientInitializationError") return "unavailable";
    // node-postgres, when the server closes a connection it was using.
    if (/Connection terminated|terminating connection/.test((e as { message?: string }).message ?? "")) return "unavailable";
  }
  return null;
}
