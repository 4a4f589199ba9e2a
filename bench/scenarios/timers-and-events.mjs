// Events and timers rows of `npm run bench` (run after the HTTP rows: files load in name order) (QUALITY.md): runs bench/events.mjs (commit → handler
// latency at 1,000 events/s offered, 1 and 2 replica processes; backlog dispatch) and
// bench/workflow/escalation-timers.mjs (100,000 due escalation timers, 2 replicas) as child
// processes, each on a database of its own on the bench's PostgreSQL server. Skip with
// BENCH_SKIP_EVENTS=1.
import { spawn } from 'node:child_process';

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

export async function scenarios(ctx) {
  if (process.env.BENCH_SKIP_EVENTS) return;
  const server = connectionString(ctx.sql);
  const first = ctx.rows.length;
  const events = JSON.parse((await runScript('bench/events.mjs', { DATABASE_URL: server })).trim().split('\n').pop());
  for (const run of events.latency) {
    const pass = run.replicas === 1 ? run.p99Ms <= run.targetP99Ms && run.delivered === run.eventsIncludingWarmup : undefined;
    ctx.rows.push({
      name: `events: commit → handler at ${run.offeredPerSecond}/s offered, ${run.replicas} process${run.replicas > 1 ? 'es' : ''} (after ${run.warmupSeconds} s warm-up)`,
      summary: `p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms (with warm-up ${run.p99MsIncludingWarmup} ms), ${run.delivered}/${run.eventsIncludingWarmup} delivered, ${run.processCpuMsPerEvent} ms CPU/event`,
      target: run.replicas === 1 ? { maxP99Ms: run.targetP99Ms } : {},
      pass: pass ?? run.delivered === run.eventsIncludingWarmup,
    });
  }
  ctx.rows.push({
    name: `events: dispatch of a ${events.dispatch.backlog}-event backlog, 1 process`,
    summary: `${events.dispatch.eventsPerSecond} events/s`,
    target: { minPerSecond: events.dispatch.target },
    pass: events.dispatch.eventsPerSecond >= events.dispatch.target && events.dispatch.delivered === events.dispatch.backlog,
  });
  const timersOut = await runScript('bench/workflow/escalation-timers.mjs', { DATABASE_URL: server, BENCH_DATABASE_URL: server });
  const timers = JSON.parse(timersOut.slice(0, timersOut.indexOf('\n\n|')));
  ctx.rows.push({
    name: timers.scenario,
    summary: `${timers.secondsToFireAll.toFixed(1)} s (${timers.timersPerSecond} timers/s), fired once each: ${timers.firedOnceEach}`,
    target: { maxSeconds: 20 },
    pass: timers.meetsTarget,
  });
  for (const row of ctx.rows.slice(first)) console.error(`  ${row.name}: ${row.summary}${row.pass ? '' : ' — FAIL'}`);
}
