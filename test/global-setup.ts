// Runs once before every test file: the browser tests (several files, in parallel) all load the
// pages built here from the current sources, so none runs stale pages and no two builds race.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  // As `npm ci` builds them for production: vitest sets NODE_ENV=test, and Vite would then bundle
  // React's development build (StrictMode running every effect twice, dev-only checks), which is
  // not what ships.
  execFileSync("npm", ["run", "build:web"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
}
