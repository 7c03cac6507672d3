// Group commit: many callers' decisions written in one transaction. While a batch for a key is
// running (or `parallel` of them), new requests for that key queue; the next batch takes all of
// them (up to `max`).
// A batch starts on the next turn of the event loop, so requests that arrived together go
// together; nobody waits on a timer. Each caller still gets their own answer (or error): `run`
// settles every item on its own, and when the whole batch fails, each item is run once more
// alone, so one bad item fails only its own caller.

export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

export const settle = {
  value: <O>(value: O): Settled<O> => ({ ok: true, value }),
  error: <O>(error: unknown): Settled<O> => ({ ok: false, error }),
};

export interface GroupCommitOptions<C, I, O> {
  /** Decides and writes a batch; one settled answer per item, in order. */
  run(context: C, key: string, items: I[]): Promise<Settled<O>[]>;
  /** Items with the same distinct key never share a batch (the later waits for the next). */
  distinct?(item: I): string;
  max?: number;
  /**
   * How many batches of one key may run at once (1 unless told). More than one only without
   * `distinct`: two batches running together could each hold the same distinct key.
   */
  parallel?(context: C): number;
  /** Told the size of every batch (the metrics). */
  observe?(context: C, size: number): void;
}

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

interface Lane<I, O> {
  queue: Waiting<I, O>[];
  /** Batches running (or about to start) for this key. */
  running: number;
}

/** How well requests were grouped, for the benchmarks and the tests. */
export interface GroupCommitStats {
  batches: number;
  items: number;
  largest: number;
}

/**
 * A submit function; its queues live beside each context object (one per running app), and
 * `submit.stats(context)` tells how they were grouped.
 */
export function groupCommit<C extends object, I, O>(options: GroupCommitOptions<C, I, O>) {
  const max = options.max ?? 200;
  if (options.parallel && options.distinct) throw new Error("group commit: parallel batches cannot keep distinct keys apart");
  const lanesOf = new WeakMap<C, Map<string, Lane<I, O>>>();
  const statsOf = new WeakMap<C, GroupCommitStats>();

  const take = (lane: Lane<I, O>): Waiting<I, O>[] => {
    if (!options.distinct) return lane.queue.splice(0, max);
    const seen = new Set<string>();
    const batch: Waiting<I, O>[] = [];
    const rest: Waiting<I, O>[] = [];
    for (const w of lane.queue) {
      const key = options.distinct(w.item);
      if (batch.length < max && !seen.has(key)) {
        seen.add(key);
        batch.push(w);
      } else rest.push(w);
    }
    lane.queue = rest;
    return batch;
  };

  const runAlone = async (context: C, key: string, w: Waiting<I, O>) => {
    try {
      const [answer] = await options.run(context, key, [w.item]);
      if (answer?.ok) w.resolve(answer.value);
      else w.reject(answer ? answer.error : new Error("group commit: no answer"));
    } catch (error) {
      w.reject(error);
    }
  };

  const drain = async (context: C, lanes: Map<string, Lane<I, O>>, key: string, lane: Lane<I, O>) => {
    const stats = statsOf.get(context) ?? { batches: 0, items: 0, largest: 0 };
    statsOf.set(context, stats);
    while (lane.queue.length) {
      const batch = take(lane);
      stats.batches++;
      stats.items += batch.length;
      stats.largest = Math.max(stats.largest, batch.length);
      options.observe?.(context, batch.length);
      try {
        const answers = await options.run(
          context,
          key,
          batch.map((w) => w.item),
        );
        if (answers.length !== batch.length) throw new Error(`group commit: ${answers.length} answers for ${batch.length} items`);
        for (const [i, answer] of answers.entries()) {
          if (answer.ok) batch[i]!.resolve(answer.value);
          else batch[i]!.reject(answer.error);
        }
      } catch (error) {
        // One item can break the shared transaction for all (a database error in its facts, say):
        // each is tried once more on its own, so only the one at fault fails.
        if (batch.length === 1) batch[0]!.reject(error);
        else for (const w of batch) await runAlone(context, key, w);
      }
    }
    lane.running--;
    if (lane.running === 0) lanes.delete(key);
  };

  const submit = (context: C, key: string, item: I): Promise<O> => {
    const lanes = lanesOf.get(context) ?? new Map<string, Lane<I, O>>();
    lanesOf.set(context, lanes);
    const lane = lanes.get(key) ?? { queue: [], running: 0 };
    lanes.set(key, lane);
    const promise = new Promise<O>((resolve, reject) => lane.queue.push({ item, resolve, reject }));
    if (lane.running < (options.parallel?.(context) ?? 1)) {
      lane.running++;
      setImmediate(() => void drain(context, lanes, key, lane));
    }
    return promise;
  };
  return Object.assign(submit, {
    stats: (context: C): GroupCommitStats => ({ ...(statsOf.get(context) ?? { batches: 0, items: 0, largest: 0 }) }),
  });
}
