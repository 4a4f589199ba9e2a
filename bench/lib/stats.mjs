// Figures that survive a noisy, shared machine: the bench settings (rounds, seconds, runs), the
// median with its min–max over rounds or runs, and the 1-minute load average (os.loadavg())
// sampled while a figure is measured. No heavy imports: bench/events.mjs's replicas load it too.
import os from 'node:os';

const quick = Boolean(process.env.BENCH_QUICK && process.env.BENCH_QUICK !== '0');
const setting = (name, normal, fast) => Number(process.env[name] ?? (quick ? fast : normal));

/**
 * The bench settings. BENCH_QUICK=1 is a smoke test (1 round of 2 s, 1 run of each time row);
 * an explicit BENCH_* variable wins over either default.
 */
export const settings = {
  quick,
  /** HTTP rows: measured rounds, each ceiling and app back to back (order alternates). */
  rounds: setting('BENCH_ROUNDS', 3, 1),
  /** Seconds of load per measurement (HTTP rows; also the events bench's measured window). */
  seconds: setting('BENCH_SECONDS', 10, 2),
  /** Seconds of the uncounted warm-up of app and ceiling before an HTTP row's rounds. */
  warmupSeconds: setting('BENCH_HTTP_WARMUP_SECONDS', 3, 1),
  /** Pause between two measurements (lets the previous one's background work finish). */
  settleSeconds: setting('BENCH_SETTLE_SECONDS', 1, 0.5),
  /** Time-based rows (events, timers, start-up): runs whose median is reported. */
  runs: setting('BENCH_RUNS', 3, 1),
};

export function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (value, digits) => (value === null ? null : Number(value.toFixed(digits)));

/** `{ median, min, max, n }` of the finite values, rounded to `digits` decimals. */
export function spread(values, digits = 2) {
  const finite = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (!finite.length) return { median: null, min: null, max: null, n: 0 };
  return { median: round(median(finite), digits), min: round(Math.min(...finite), digits), max: round(Math.max(...finite), digits), n: finite.length };
}

/** "12.3 ms (11.0–14.1)", or "12.3 ms" when there is one value; `digits`: fixed decimals. */
export function formatSpread(s, { prefix = '', unit = '', digits } = {}) {
  if (s.median === null) return '—';
  const f = (v) => (digits === undefined ? String(v) : v.toFixed(digits));
  return s.n > 1 ? `${prefix}${f(s.median)}${unit} (${f(s.min)}–${f(s.max)})` : `${prefix}${f(s.median)}${unit}`;
}

/**
 * Samples the 1-minute load average every `everyMs` (and at start and stop) while something is
 * measured. `stop()` returns `{ mean, max, samples }`.
 */
export function loadSampler(everyMs = 1000) {
  const samples = [os.loadavg()[0]];
  const timer = setInterval(() => samples.push(os.loadavg()[0]), everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      samples.push(os.loadavg()[0]);
      return summariseLoad(samples);
    },
  };
}

/** `{ mean, max, samples }` of load-average samples (e.g. those of several runs put together). */
export function summariseLoad(samples) {
  const all = samples.map((s) => Number(s.toFixed(2)));
  return { mean: Number((all.reduce((a, b) => a + b, 0) / Math.max(all.length, 1)).toFixed(2)), max: Math.max(...all), samples: all };
}

/** Merges the load of several runs: one summary over all their samples. */
export function mergeLoads(loads) {
  return summariseLoad(loads.filter(Boolean).flatMap((l) => l.samples));
}

/** Runs `fn` while sampling the load average: `{ result, loadAverage1m }`. */
export async function withLoad(fn) {
  const sampler = loadSampler();
  try {
    const result = await fn();
    return { result, loadAverage1m: sampler.stop() };
  } catch (error) {
    sampler.stop();
    throw error;
  }
}

export const cpus = () => os.cpus().length;
export const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
