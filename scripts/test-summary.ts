// Prints vitest's result as one plain closing line ("vitest: N passed, N failed, N skipped")
// and fails when no test ran at all.
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync("test-results/vitest.json", "utf8")) as {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
};
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
if (report.numPassedTests === 0) {
  console.error("no test ran");
  process.exit(1);
}
