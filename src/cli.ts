// Command line for operators. Passwords are read from GATEKEEPER_NEW_PASSWORD or asked for on the
// terminal without echo, never taken as an argument, so that they stay out of shell history.
// Migrations run only when some are pending, so the CLI works beside a running Gatekeeper.
import { parseArgs } from "node:util";
import { z } from "zod";
import { BackupError, backupSqlite, restoreSqlite } from "./adapters/db/backup.ts";
import { openDatabase } from "./adapters/db/client.ts";
import { providerOf, sqlitePath } from "./adapters/db/connection.ts";
import { DatabaseSetupError } from "./adapters/db/migrate.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { DomainError } from "./domain/errors.ts";
import { roleSchema } from "./domain/roles.ts";
import { createStaff, normaliseEmail, resetPassword, updateStaff } from "./domain/staff.ts";
import { type Store, storeOf } from "./domain/unit-of-work.ts";

const usage = `usage:
  npm run cli -- staff:add --email EMAIL --name NAME [--roles staff,dsl,admin]
  npm run cli -- staff:reset-password --email EMAIL     (signs them out everywhere)
  npm run cli -- staff:reactivate --email EMAIL
  npm run cli -- migrate
  npm run cli -- backup FILE      (SQLite: a consistent copy while the service runs)
  npm run cli -- restore FILE     (SQLite: with the service stopped; the replaced file is kept)
  PostgreSQL: pg_dump and pg_restore (README, "Backups").
  Passwords come from GATEKEEPER_NEW_PASSWORD, or are asked for on the terminal.`;

const password = z.string().min(12, "must be at least 12 characters");
const staffArgs = z.object({
  email: z.email(),
  name: z.string().trim().min(1),
  roles: z
    .string()
    .default("staff")
    .transform((s) => s.split(","))
    .pipe(z.array(roleSchema).min(1)),
  password,
});

/** Asks on the terminal without echoing what is typed. */
async function readPassword(): Promise<string> {
  if (process.env.GATEKEEPER_NEW_PASSWORD) return process.env.GATEKEEPER_NEW_PASSWORD;
  const input = process.stdin;
  if (!input.isTTY) return "";
  process.stdout.write("Password (12 characters or more, not shown): ");
  input.setRawMode(true);
  input.resume();
  let typed = "";
  try {
    for await (const chunk of input) {
      for (const ch of String(chunk)) {
        if (ch === "\r" || ch === "\n") return typed;
        if (ch === "\u0003") throw new Error("cancelled");
        typed = ch === "\u007f" || ch === "\b" ? typed.slice(0, -1) : typed + ch;
      }
    }
    return typed;
  } finally {
    input.setRawMode(false);
    input.pause();
    process.stdout.write("\n");
  }
}

function complain(issues: z.core.$ZodIssue[]): number {
  for (const issue of issues) console.error(`${issue.path.join(".") || "value"}: ${issue.message}`);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  const { values, positionals } = parseArgs({
    args: rest,
    options: { email: { type: "string" }, name: { type: "string" }, roles: { type: "string" } },
    strict: false,
  });
  const withDatabase = async (run: (store: Store) => Promise<number>) => {
    const database = await openDatabase(config.DATABASE_URL);
    try {
      return await run(storeOf(database));
    } finally {
      await database.close();
    }
  };
  const byEmail = async ({ database }: Store) => {
    const email = z.email().safeParse(values.email);
    if (!email.success) return null;
    return database.db.staff.findUnique({ where: { email: normaliseEmail(email.data) } });
  };

  switch (command) {
    case "migrate":
      return withDatabase(async () => {
        console.log("migrations applied");
        return 0;
      });
    case "staff:add": {
      const parsed = staffArgs.safeParse({ ...values, password: await readPassword() });
      if (!parsed.success) return complain(parsed.error.issues);
      return withDatabase(async (store) => {
        const staff = await createStaff(store, parsed.data, null);
        console.log(`added ${staff.email} (${staff.roles.join(", ")}) with id ${staff.id}`);
        return 0;
      });
    }
    case "staff:reset-password":
    case "staff:reactivate":
      return withDatabase(async (store) => {
        const row = await byEmail(store);
        if (!row) {
          console.error(`no staff account with the e-mail ${values.email ?? "(give --email)"}`);
          return 2;
        }
        if (command === "staff:reactivate") {
          await updateStaff(store, row.id, { active: true }, null);
          console.log(`reactivated ${row.email}`);
          return 0;
        }
        const parsed = password.safeParse(await readPassword());
        if (!parsed.success) return complain(parsed.error.issues);
        await resetPassword(store, row.id, parsed.data, null);
        console.log(`changed the password of ${row.email}; they are signed out everywhere`);
        return 0;
      });
    case "backup":
    case "restore": {
      const file = positionals[0];
      if (!file) {
        console.error(usage);
        return 2;
      }
      if (providerOf(config.DATABASE_URL) !== "sqlite") {
        console.error("backup and restore are for SQLite: on PostgreSQL use pg_dump and pg_restore (README, Backups)");
        return 2;
      }
      if (command === "backup") {
        const { pages } = await backupSqlite(config.DATABASE_URL, file);
        console.log(`backed up ${sqlitePath(config.DATABASE_URL)} to ${file} (${pages} pages, checked)`);
        return 0;
      }
      const { keptAs } = restoreSqlite(config.DATABASE_URL, file);
      console.log(
        `restored ${file} to ${sqlitePath(config.DATABASE_URL)}${keptAs ? `; the database it replaced is kept as ${keptAs}` : ""}`,
      );
      return 0;
    }
    default:
      console.error(usage);
      return 2;
  }
}

let code: number;
try {
  code = await main(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof ConfigError || err instanceof DomainError || err instanceof DatabaseSetupError || err instanceof BackupError))
    throw err;
  console.error(err.message);
  code = 1;
}
// Exit now: a database driver's idle connection would otherwise hold the process open for seconds.
process.exit(code);
