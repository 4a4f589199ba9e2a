// Shared bench plumbing: child processes, autocannon runs, ratios, and the rounds of an HTTP row
// (app and ceiling interleaved after a warm-up; the row reports the median ratio and its min–max).
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { formatSpread, loadSampler, settings, sleep, spread } from './stats.mjs';

/** Spawns a node script and resolves with the first JSON line it prints. */
export function spawnJson(script, env, args = []) {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, info: JSON.parse(line) }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** Starts the built API (dist/) and waits for /health/ready. */
export async function startApi(env, port) {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, LOG_LEVEL: 'error', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const started = Date.now();
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - started > 60_000) throw new Error('API did not become ready in 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, startSeconds: (Date.now() - started) / 1000 };
}

export function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/**
 * One autocannon run: returns req/s (mean), p99 latency in ms, errors and non-2xx counts.
 * `setupRequest` may change each request (e.g. a fresh Idempotency-Key).
 */
export async function load({ url, method = 'GET', headers = {}, body, duration, connections = 20, requests, setupRequest }) {
  const result = await autocannon({
    url,
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    duration,
    connections,
    ...(setupRequest ? { requests: [{ setupRequest }] } : requests ? { requests } : {}),
  });
  return {
    rps: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export const ratio = (a, b) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);

/**
 * The rounds of an HTTP row. `app(seconds)` and `ceiling(seconds)` each run one load and return
 * `load()`'s result. First a warm-up of both (settings.warmupSeconds each, not counted), then
 * settings.rounds rounds, each measuring ceiling and app back to back for settings.seconds, in
 * alternating order (round 1: ceiling, app; round 2: app, ceiling; …) so a drift of the machine
 * or of the data (a table growing under POSTs) does not always favour the same side. Each round
 * gives a ratio; the row's figure is their median, with min–max. `beforeRound(i)` may return
 * facts recorded with the round (e.g. the size of a table that grows). The 1-minute load average
 * is sampled during the measured rounds.
 */
export async function compare({ app, ceiling, beforeRound, rounds = settings.rounds, seconds = settings.seconds, warmupSeconds = settings.warmupSeconds }) {
  const warmup = warmupSeconds > 0 ? { ceiling: await ceiling(warmupSeconds), app: await app(warmupSeconds) } : null;
  const sampler = loadSampler();
  const measured = [];
  let loadAverage1m;
  try {
    for (let i = 0; i < rounds; i++) {
      const facts = beforeRound ? await beforeRound(i) : undefined;
      const order = i % 2 === 0 ? ['ceiling', 'app'] : ['app', 'ceiling'];
      const round = { order: order.join(','), ...(facts ? { facts } : {}) };
      for (const side of order) {
        await sleep(settings.settleSeconds);
        round[side] = await (side === 'app' ? app : ceiling)(seconds);
      }
      round.rpsRatio = ratio(round.app.rps, round.ceiling.rps);
      round.p99Ratio = ratio(round.app.p99Ms, Math.max(round.ceiling.p99Ms, 1));
      measured.push(round);
    }
  } finally {
    loadAverage1m = sampler.stop();
  }
  return {
    warmup,
    rounds: measured,
    rpsRatio: spread(measured.map((r) => r.app.rps / r.ceiling.rps)),
    p99Ratio: spread(measured.map((r) => r.app.p99Ms / Math.max(r.ceiling.p99Ms, 1)), 1),
    app: {
      rps: spread(measured.map((r) => r.app.rps), 0),
      p99Ms: spread(measured.map((r) => r.app.p99Ms), 1),
      errors: measured.reduce((n, r) => n + r.app.errors, 0),
      non2xx: measured.reduce((n, r) => n + r.app.non2xx, 0),
    },
    ceiling: { rps: spread(measured.map((r) => r.ceiling.rps), 0), p99Ms: spread(measured.map((r) => r.ceiling.p99Ms), 1) },
    loadAverage1m,
  };
}

/**
 * A table row from `compare()`'s result: passes on the medians (req/s ratio ≥ minRatio, p99 ratio
 * ≤ maxP99Ratio, app p99 ≤ maxP99Ms), with no error or non-2xx answer in any measured round, and
 * `extraPass` (e.g. an index plan).
 */
export function httpRow({ name, target = {}, comparison: c, extraPass = true, note, ...rest }) {
  const pass =
    (target.minRatio === undefined || (c.rpsRatio.median ?? 0) >= target.minRatio) &&
    (target.maxP99Ratio === undefined || (c.p99Ratio.median ?? Infinity) <= target.maxP99Ratio) &&
    (target.maxP99Ms === undefined || (c.app.p99Ms.median ?? Infinity) <= target.maxP99Ms) &&
    c.app.errors === 0 &&
    c.app.non2xx === 0 &&
    extraPass;
  const parts = [
    formatSpread(c.rpsRatio, { prefix: '×', digits: 2 }),
    `app ${c.app.rps.median} req/s, p99 ${c.app.p99Ms.median} ms`,
    `ceiling ${c.ceiling.rps.median} req/s`,
  ];
  if (target.maxP99Ratio !== undefined) parts.push(`p99 ${formatSpread(c.p99Ratio, { prefix: '×', digits: 1 })}`);
  if (c.app.errors || c.app.non2xx) parts.push(`${c.app.errors} errors, ${c.app.non2xx} non-2xx`);
  if (note) parts.push(note);
  return {
    name,
    kind: 'http',
    target,
    summary: parts.join('; '),
    rpsRatio: c.rpsRatio,
    p99Ratio: c.p99Ratio,
    app: c.app,
    ceiling: c.ceiling,
    rounds: c.rounds,
    warmup: c.warmup,
    loadAverage1m: c.loadAverage1m,
    ...rest,
    pass,
  };
}
