// Runs once before every test file: the browser tests (several files, in parallel) all load the
// pages built here from the current sources, so none runs stale pages and no two builds race.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  execFileSync("npm", ["run", "build:web"], { stdio: ["ignore", "ignore", "inherit"] });
}
