// The PostgreSQL client is used through the SQLite client's type (see client.ts). The compiler
// cannot compare the two clients whole (their delegates are built from deferred conditional types),
// but it can compare what they read and write: this file fails to compile if the two providers'
// generated clients disagree on a model's name, a column, its type or an enumeration's values.

import type { Prisma as Postgres } from "./generated/postgresql/client.ts";
import type { Prisma as Sqlite } from "./generated/sqlite/client.ts";

type Models<M> = M extends { model: infer R } ? R : never;
type Row<M, K extends keyof Models<M>> = Models<M>[K] extends { payload: { scalars: infer S } } ? S : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type SqliteModels = Models<Sqlite.TypeMap>;
type PostgresModels = Models<Postgres.TypeMap>;

/** Each model, true when its row is the same on both providers. */
type RowsAgree = {
  [K in keyof SqliteModels | keyof PostgresModels]: K extends keyof SqliteModels & keyof PostgresModels
    ? Same<Row<Sqlite.TypeMap, K>, Row<Postgres.TypeMap, K>>
    : false;
};
type Every<T> = false extends T[keyof T] ? false : true;
type Assert<T extends true> = T;

// Compiled, never imported: `npm run typecheck` fails here when the providers disagree.
// biome-ignore lint/correctness/noUnusedVariables: a check the compiler runs, not a value
type Checked = [
  Assert<Every<RowsAgree>>,
  // Guards the check itself: rows that came out as `never` would agree with anything.
  Assert<Same<Row<Sqlite.TypeMap, keyof SqliteModels>, never> extends false ? true : false>,
];
