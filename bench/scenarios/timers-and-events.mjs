// Events and timers rows of `npm run bench` (run after the HTTP rows: files load in name order) (QUALITY.md): runs bench/events.mjs (commit → handler
// latency at 1,000 events/s offered, 1 and 2 replica processes; backlog dispatch) and
// bench/workflow/escalation-timers.mjs (100,000 due escalation timers, 2 replicas) as child
// processes, each run on a database of its own on the bench's PostgreSQL server. Each is run
// settings.runs times (BENCH_RUNS, default 3; the two alternate: events, timers, events, …); a
// row reports the median with min–max over the runs, passes on the median (and on every run
// delivering or firing everything), and carries the 1-minute load average sampled while its
// runs measured. Skip with BENCH_SKIP_EVENTS=1.
import { spawn } from 'node:child_process';
import { formatSpread, mergeLoads, settings, spread } from '../lib/stats.mjs';

function runScript(file, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${file} exited with ${code}`))));
  });
}

function connectionString(client) {
  const p = client.connectionParameters;
  return `postgres://${encodeURIComponent(p.user)}${p.password ? `:${encodeURIComponent(p.password)}` : ''}@${p.host}:${p.port}/${p.database}`;
}

const allOf = (runs, test) => `${runs.filter(test).length}/${runs.length} runs`;

export async function scenarios(ctx) {
  if (process.env.BENCH_SKIP_EVENTS && process.env.BENCH_SKIP_EVENTS !== '0') return;
  const server = connectionString(ctx.sql);
  const first = ctx.rows.length;
  const eventRuns = [];
  const timerRuns = [];
  // A run that fails (a process exits: e.g. a connection timeout on an overloaded machine) is
  // recorded with its error; its rows fail, and the other runs and rows still report.
  const attempt = async (file, env, parse) => {
    try {
      return parse(await runScript(file, env));
    } catch (error) {
      console.error(`  ${file}: ${error.message}`);
      return { error: error.message };
    }
  };
  for (let i = 0; i < settings.runs; i++) {
    console.error(`  events and timers: run ${i + 1} of ${settings.runs}`);
    eventRuns.push(await attempt('bench/events.mjs', { DATABASE_URL: server, BENCH_SECONDS: String(settings.seconds) }, (out) => JSON.parse(out.trim().split('\n').pop())));
    timerRuns.push(await attempt('bench/workflow/escalation-timers.mjs', { DATABASE_URL: server, BENCH_DATABASE_URL: server }, (out) => JSON.parse(out.slice(0, out.indexOf('\n\n|')))));
  }
  const failed = (runs) => runs.filter((r) => r.error);
  const failedText = (runs) => (failed(runs).length ? `; ${failed(runs).length}/${runs.length} runs FAILED (${failed(runs)[0].error})` : '');
  const failedRow = (name, runs, target) => ({ name, kind: 'time', summary: `all ${runs.length} runs FAILED (${runs[0].error})`, target, runs, pass: false });

  const eventsDone = eventRuns.filter((e) => !e.error);
  if (!eventsDone.length) ctx.rows.push(failedRow('events: commit → handler latency and backlog dispatch', eventRuns, { maxP99Ms: 50, minPerSecond: 5000 }));
  for (const replicas of eventsDone[0]?.latency.map((run) => run.replicas) ?? []) {
    const runs = eventsDone.map((e) => e.latency.find((run) => run.replicas === replicas));
    const { offeredPerSecond, warmupSeconds, targetP99Ms } = runs[0];
    const p99Ms = spread(runs.map((r) => r.p99Ms), 1);
    const p50Ms = spread(runs.map((r) => r.p50Ms), 1);
    const deliveredAll = runs.every((r) => r.delivered === r.eventsIncludingWarmup);
    ctx.rows.push({
      name: `events: commit → handler at ${offeredPerSecond}/s offered, ${replicas} process${replicas > 1 ? 'es' : ''} (after ${warmupSeconds} s warm-up)`,
      kind: 'time',
      summary:
        `p99 ${formatSpread(p99Ms, { unit: ' ms' })}, p50 ${formatSpread(p50Ms, { unit: ' ms' })}` +
        `; p99 with warm-up ${spread(runs.map((r) => r.p99MsIncludingWarmup), 1).median} ms` +
        `; all delivered in ${allOf(runs, (r) => r.delivered === r.eventsIncludingWarmup)}` +
        `, ${spread(runs.map((r) => r.processCpuMsPerEvent), 3).median} ms CPU/event` +
        failedText(eventRuns),
      target: replicas === 1 ? { maxP99Ms: targetP99Ms, allDelivered: true } : { allDelivered: true },
      p99Ms,
      p50Ms,
      runs,
      loadAverage1m: mergeLoads(runs.map((r) => r.loadAverage1m)),
      pass: (replicas === 1 ? p99Ms.median <= targetP99Ms : true) && deliveredAll && !failed(eventRuns).length,
    });
  }

  const dispatches = eventsDone.map((e) => e.dispatch);
  const perSecond = spread(dispatches.map((d) => d.eventsPerSecond), 0);
  if (dispatches.length) ctx.rows.push({
    name: `events: dispatch of a ${dispatches[0].backlog}-event backlog, 1 process`,
    kind: 'time',
    summary: `${formatSpread(perSecond, { unit: ' events/s' })}; all delivered in ${allOf(dispatches, (d) => d.delivered === d.backlog)}${failedText(eventRuns)}`,
    target: { minPerSecond: dispatches[0].target, allDelivered: true },
    eventsPerSecond: perSecond,
    runs: dispatches,
    loadAverage1m: mergeLoads(dispatches.map((d) => d.loadAverage1m)),
    pass: perSecond.median >= dispatches[0].target && dispatches.every((d) => d.delivered === d.backlog) && !failed(eventRuns).length,
  });

  const timersDone = timerRuns.filter((t) => !t.error);
  const seconds = spread(timersDone.map((t) => t.secondsToFireAll), 1);
  if (!timersDone.length) ctx.rows.push(failedRow('workflow: due escalation timers', timerRuns, { maxSeconds: 20, firedOnceEach: true }));
  else ctx.rows.push({
    name: timersDone[0].scenario,
    kind: 'time',
    summary: `${formatSpread(seconds, { unit: ' s' })}, ${spread(timersDone.map((t) => t.timersPerSecond), 0).median} timers/s; fired once each in ${allOf(timersDone, (t) => t.firedOnceEach)}${failedText(timerRuns)}`,
    target: { maxSeconds: 20, firedOnceEach: true },
    secondsToFireAll: seconds,
    runs: timerRuns,
    loadAverage1m: mergeLoads(timersDone.map((t) => t.loadAverage1m)),
    pass: seconds.median <= 20 && timerRuns.every((t) => t.firedOnceEach),
  });
  for (const row of ctx.rows.slice(first)) console.error(`  ${row.name}: ${row.summary}${row.pass ? '' : ' — FAIL'}`);
}
