import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("configuration", () => {
  it("runs with nothing set, on SQLite and livekit-server --dev's settings", () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe("file:./data/gatekeeper.db");
    expect(config.LIVEKIT_URL).toBe("ws://localhost:7880");
    expect(config.LIVEKIT_API_KEY).toBe("devkey");
    expect(config.LIVEKIT_API_SECRET).toBe("secret");
    expect(config.PORT).toBe(3000);
  });

  it("names a bad variable and says what is wrong with it", () => {
    expect(problems({ PORT: "eighty" })).toEqual([expect.stringMatching(/^PORT: /)]);
    expect(problems({ DATABASE_URL: "mysql://db" })).toEqual(["DATABASE_URL: must start with file: or postgresql://"]);
    expect(problems({ GATEKEEPER_ADMIN_EMAIL: "not-an-email" })).toEqual([expect.stringMatching(/^GATEKEEPER_ADMIN_EMAIL: /)]);
  });

  it("in production, refuses to start and names every missing secret and every bad variable at once", () => {
    const found = problems({ NODE_ENV: "production", PORT: "-1", LIVEKIT_API_KEY: "key" });
    expect(found.map((p) => p.split(":")[0]).sort()).toEqual(
      ["LIVEKIT_API_SECRET", "LIVEKIT_URL", "PORT", "PUBLIC_URL", "SESSION_SECRET"].sort(),
    );
  });

  it("in production, accepts a complete configuration", () => {
    const config = loadConfig({
      NODE_ENV: "production",
      PUBLIC_URL: "https://gatekeeper.example.org/",
      LIVEKIT_URL: "wss://livekit.example.org/",
      LIVEKIT_API_KEY: "key",
      LIVEKIT_API_SECRET: "a-long-livekit-secret",
      SESSION_SECRET: "x".repeat(40),
    });
    expect(config.PUBLIC_URL).toBe("https://gatekeeper.example.org");
    expect(config.LIVEKIT_URL).toBe("wss://livekit.example.org");
  });

  it("refuses a short session secret", () => {
    expect(problems({ SESSION_SECRET: "short" })).toEqual(["SESSION_SECRET: must be at least 32 characters"]);
  });
});
