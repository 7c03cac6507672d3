// How an admission decision's checks are kept on its row.
import { wholeJson } from "../adapters/db/client.ts";
import type { Check } from "../policy/types.ts";

/**
 * A decision's checks as its row stores them: an array, empty for actions that need none. Typed,
 * because the Json column takes any JSON: decisions written between the typed-columns migration
 * (20261127143800) and this function hold the JSON string "[]" for "no checks"; readers treat it
 * as an empty array (the rows are append-only and stay as written).
 */
export const storedChecks = (checks: Check[]) => wholeJson(checks);
