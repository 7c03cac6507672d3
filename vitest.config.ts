import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: two workers, each test file owning its own databases.
    maxWorkers: 2,
    env: { NODE_ENV: "test" },
  },
});
