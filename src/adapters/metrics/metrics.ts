// What the service measures, in Prometheus's format (prom-client), one registry per running app.
// No label ever holds personal data: labels are rule codes, actions, outcomes, operation and
// batch names, never a person's name, an id or a link token. What is on the database is counted
// when Prometheus asks (`sources`), not kept on the side.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Read from the database when scraped: people waiting and admitted, the outbox. */
export interface MetricSources {
  people(): Promise<{ waiting: number; admitted: number }>;
  outbox(): Promise<{ pending: number; due: number }>;
}

const latency = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** `exposed`: something will read them (METRICS_TOKEN or METRICS_PORT is set). */
export function createMetrics({ exposed }: { exposed: boolean }) {
  const registry = new Registry();
  // Event-loop lag, memory, GC, handles: prom-client's standard process_* and nodejs_* names.
  // They keep monitors running, so only when someone reads them.
  if (exposed) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let sources: MetricSources | null = null;

  new Gauge({
    name: "gatekeeper_people",
    help: "People in sessions not yet ended, by where they are (waiting: in the waiting room; admitted: let in).",
    labelNames: ["state"],
    registers,
    async collect() {
      if (!sources) return;
      const { waiting, admitted } = await sources.people();
      this.set({ state: "waiting" }, waiting);
      this.set({ state: "admitted" }, admitted);
    },
  });
  new Gauge({
    name: "gatekeeper_outbox_messages",
    help: "E-mails not yet sent or given up: all of them (pending), and those whose time has come (due).",
    labelNames: ["queue"],
    registers,
    async collect() {
      if (!sources) return;
      const { pending, due } = await sources.outbox();
      this.set({ queue: "pending" }, pending);
      this.set({ queue: "due" }, due);
    },
  });

  const admitToToken = new Histogram({
    name: "gatekeeper_admit_to_token_seconds",
    help: "From an admission committing to the video token going out on the person's open page (once per admission).",
    buckets: latency,
    registers,
  });
  // Admissions whose token has been timed already: a page refreshed later is not a new delivery.
  const timedAdmissions = new Set<string>();

  return {
    registry,
    /** The first time an admission's token goes out to a page: `admission` names that admission only. */
    tokenOnPage(admission: string, admittedAt: Date, now: Date): void {
      if (timedAdmissions.has(admission)) return;
      if (timedAdmissions.size >= 50_000) timedAdmissions.clear();
      timedAdmissions.add(admission);
      admitToToken.observe(Math.max(0, (now.getTime() - admittedAt.getTime()) / 1000));
    },
    /** Hands over what is read from the database when scraped. */
    watch(s: MetricSources): void {
      sources = s;
    },
    openPages: new Gauge({
      name: "gatekeeper_open_pages",
      help: "Live pages open on this instance: waiting pages (members, volunteers) and consoles (staff).",
      labelNames: ["page"],
      registers,
    }),
    decisions: new Counter({
      name: "gatekeeper_admission_decisions_total",
      help: "Decisions on people in the waiting room, committed: admit (allowed), denied (a rule failed), refuse, return, remove.",
      labelNames: ["action"],
      registers,
    }),
    refusals: new Counter({
      name: "gatekeeper_refusals_by_rule_total",
      help: "For each admission the policy engine refused, each failing rule's code.",
      labelNames: ["rule"],
      registers,
    }),
    waitBeforeAdmission: new Histogram({
      name: "gatekeeper_wait_before_admission_seconds",
      help: "From entering the waiting room (or coming back to it) to being admitted.",
      buckets: [5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600],
      registers,
    }),
    webhookLag: new Histogram({
      name: "gatekeeper_livekit_webhook_lag_seconds",
      help: "From LiveKit creating a webhook event to the service receiving it (LiveKit stamps whole seconds).",
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 300],
      registers,
    }),
    groupCommitSize: new Histogram({
      name: "gatekeeper_group_commit_size",
      help: "Requests decided together in one transaction, by kind of batch.",
      labelNames: ["batch"],
      buckets: [1, 2, 5, 10, 20, 50, 100, 200],
      registers,
    }),
    transactionSeconds: new Histogram({
      name: "gatekeeper_db_transaction_seconds",
      help: "Database transactions, committed or rolled back.",
      labelNames: ["outcome"],
      buckets: latency,
      registers,
    }),
    outboxAttempts: new Counter({
      name: "gatekeeper_outbox_attempts_total",
      help: "Attempts to send an e-mail, by outcome: sent, retry (the server said try later), failed, expired, skipped, error.",
      labelNames: ["outcome"],
      registers,
    }),
    livekitSeconds: new Histogram({
      name: "gatekeeper_livekit_api_seconds",
      help: "Calls to LiveKit's server API (rooms, participants, egress), by operation.",
      labelNames: ["operation"],
      buckets: latency,
      registers,
    }),
    livekitErrors: new Counter({
      name: "gatekeeper_livekit_api_errors_total",
      help: "Calls to LiveKit's server API that failed, by operation.",
      labelNames: ["operation"],
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * The same object with each of its methods timed into `seconds` and failures counted in
 * `errors`, labelled by the method's name (an adapter's operations: createRoom, start, …).
 */
export function timed<T extends object>(target: T, seconds: Histogram<"operation">, errors: Counter<"operation">): T {
  const wrapped = { ...target } as Record<string, unknown>;
  for (const [operation, value] of Object.entries(target)) {
    if (typeof value !== "function") continue;
    wrapped[operation] = async (...args: unknown[]) => {
      const end = seconds.startTimer({ operation });
      try {
        return await value.apply(target, args);
      } catch (err) {
        errors.inc({ operation });
        throw err;
      } finally {
        end();
      }
    };
  }
  return wrapped as T;
}
