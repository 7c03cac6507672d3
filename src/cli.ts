// Command line for operators: `npm run cli -- staff:add --email a@b.org --name "A B" --roles admin,staff`
// (the password is read from GATEKEEPER_NEW_PASSWORD or prompted for, never taken as an argument,
// so that it stays out of shell history), `npm run cli -- migrate`.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import { openDatabase } from "./adapters/db/client.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { DomainError } from "./domain/errors.ts";
import { roleSchema } from "./domain/roles.ts";
import { createStaff } from "./domain/staff.ts";

const usage = `usage:
  npm run cli -- staff:add --email EMAIL --name NAME [--roles staff,dsl,admin]
      password from GATEKEEPER_NEW_PASSWORD, or asked for on the terminal
  npm run cli -- migrate`;

const staffArgs = z.object({
  email: z.email(),
  name: z.string().trim().min(1),
  roles: z
    .string()
    .default("staff")
    .transform((s) => s.split(","))
    .pipe(z.array(roleSchema).min(1)),
  password: z.string().min(12, "must be at least 12 characters"),
});

async function readPassword(): Promise<string> {
  if (process.env.GATEKEEPER_NEW_PASSWORD) return process.env.GATEKEEPER_NEW_PASSWORD;
  if (!process.stdin.isTTY) return "";
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question("Password (12 characters or more): ");
  } finally {
    rl.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  if (command === "migrate") {
    const database = await openDatabase(config.DATABASE_URL);
    await database.close();
    console.log("migrations applied");
    return 0;
  }
  if (command === "staff:add") {
    const { values } = parseArgs({
      args: rest,
      options: { email: { type: "string" }, name: { type: "string" }, roles: { type: "string" } },
    });
    const parsed = staffArgs.safeParse({ ...values, password: await readPassword() });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) console.error(`${issue.path.join(".")}: ${issue.message}`);
      return 2;
    }
    const database = await openDatabase(config.DATABASE_URL);
    try {
      const staff = await createStaff(database, parsed.data, null);
      console.log(`added ${staff.email} (${staff.roles.join(", ")}) with id ${staff.id}`);
      return 0;
    } finally {
      await database.close();
    }
  }
  console.error(usage);
  return 2;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof ConfigError || err instanceof DomainError) {
    console.error(err.message);
    process.exitCode = 1;
  } else throw err;
}
