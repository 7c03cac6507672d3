// fetch with JSON in and out (or a file in); errors carry the API's { error: { code, message, checks } }.
import type { z } from "zod";
import type { check } from "../../../src/contract/api.ts";

/** One rule's result, as the service's contract declares it. */
export type Check = z.infer<typeof check>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly checks: Check[] = [],
  ) {
    super(message);
  }
}

/** `body` is sent as JSON, except a file (a Blob), which is sent as it is with its own type. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const file = body instanceof Blob ? body : null;
  const res = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": file ? file.type || "application/octet-stream" : "application/json" },
    body: body === undefined ? undefined : (file ?? JSON.stringify(body)),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : {};
  if (!res.ok) {
    const e = data.error ?? {};
    throw new ApiError(res.status, e.code ?? "error", e.message ?? `Request failed (${res.status})`, e.checks ?? []);
  }
  return data as T;
}

/** The link token in /join/<token> or /carer/<token>. */
export function tokenFromPath(): string {
  return location.pathname.split("/").filter(Boolean)[1] ?? "";
}

export function socketUrl(path: string): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${path}`;
}

/** "Tuesday 3 March at 2pm" in the reader's own clock. */
export function when(iso: string): string {
  const d = new Date(iso);
  const day = d.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long" });
  const time = d.toLocaleTimeString("en-GB", { hour: "numeric", minute: "2-digit", hour12: true }).replace(":00", "").replace(/\s/g, "");
  return `${day} at ${time}`;
}

/**
 * How long to wait before the next try after `attempt` failures: steps of 0.5, 1, 2, 5 and then
 * 10 s, each between half and one and a half times its step, so that pages turned away together
 * (a restart, everyone opening their link at the top of the hour) do not all come back at once.
 */
export function retryDelayMs(attempt: number): number {
  const step = [500, 1000, 2000, 5000, 10000][Math.min(attempt, 4)]!;
  return step * (0.5 + Math.random());
}

/** Trouble that trying again can fix: no answer at all, a busy or restarting service. */
export function transient(err: unknown): boolean {
  return !(err instanceof ApiError) || err.status >= 500 || err.status === 429 || err.status === 408;
}

/** Runs `work` until it succeeds or fails for good, waiting between tries; `onRetry` says so meanwhile. */
export async function patiently<T>(work: () => Promise<T>, onRetry: () => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!transient(err)) throw err;
      onRetry();
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
    }
  }
}
