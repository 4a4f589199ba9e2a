// `npm run bench`: every HTTP figure is a ratio against a ceiling measured in the same run on
// the same database (QUALITY.md). Needs a PostgreSQL server: BENCH_DATABASE_URL, else
// DATABASE_URL, else postgres://postgres@127.0.0.1:5432/crm_bench (created if missing). Writes
// bench/results/latest.json and prints a Markdown table. Scenario files in bench/scenarios/*.mjs
// export `scenarios(ctx)` adding more rows (one file per context).
//
// The machine is shared and noisy, so no figure comes from a single measurement:
// - an HTTP row warms app and ceiling up (not counted), then measures BENCH_ROUNDS rounds
//   (default 3), each the ceiling and the app back to back for BENCH_SECONDS (default 10), the
//   order alternating between rounds; it reports the median of the rounds' ratios with min–max
//   and passes on the median (lib/harness.mjs `compare`, `httpRow`);
// - a time-based row (events, timers, start-up) reports the median of BENCH_RUNS runs (default 3)
//   with min–max and passes on the median;
// - every row carries the 1-minute load average sampled while it measured (mean / max).
// BENCH_QUICK=1: a smoke test (1 round of 2 s, 1 run of each time row). BENCH_SKIP_EVENTS=1:
// no events and timers rows. Other knobs: BENCH_HTTP_WARMUP_SECONDS (3), BENCH_SETTLE_SECONDS (1).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { compare, httpRow, load, spawnJson, startApi, stop } from './lib/harness.mjs';
import { cpus, formatSpread, mergeLoads, settings, spread, summariseLoad, withLoad } from './lib/stats.mjs';

const databaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/crm_bench';
const adminEmail = 'bench-admin@example.com';
const adminPassword = 'bench-admin-password';

async function ensureDatabase(url) {
  const name = new URL(url).pathname.slice(1);
  const server = new URL(url);
  server.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!rowCount) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
}

async function seedCeiling(sql) {
  await sql.query(`CREATE SCHEMA IF NOT EXISTS bench_ceiling;
    CREATE TABLE IF NOT EXISTS bench_ceiling.row (id uuid PRIMARY KEY, name text NOT NULL, email text, amount_minor bigint,
      created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), version int NOT NULL DEFAULT 1)`);
  const { rows } = await sql.query('SELECT count(*)::int AS n FROM bench_ceiling.row');
  if (rows[0].n < 10_000) {
    await sql.query(`INSERT INTO bench_ceiling.row (id, name, email, amount_minor)
      SELECT gen_random_uuid(), 'row ' || g, 'row' || g || '@example.com', g FROM generate_series(1, 10000) g`);
  }
  return (await sql.query('SELECT id FROM bench_ceiling.row LIMIT 1')).rows[0].id;
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
}

/** Start-up on the embedded default: a fresh data dir, then the same dir again; settings.runs times. */
async function measureStartup() {
  const runs = [];
  for (let i = 0; i < settings.runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'crm-bench-'));
    try {
      const env = { DATABASE_URL: '', DATA_DIR: dir, ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: adminPassword };
      const { result, loadAverage1m } = await withLoad(async () => {
        const fresh = await startApi(env, 3901);
        await stop(fresh.child);
        const warm = await startApi(env, 3901);
        await stop(warm.child);
        return { freshSeconds: fresh.startSeconds, existingSeconds: warm.startSeconds };
      });
      runs.push({ ...result, loadAverage1m });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const fresh = spread(runs.map((r) => r.freshSeconds), 1);
  const existing = spread(runs.map((r) => r.existingSeconds), 1);
  return {
    name: 'start-up on the embedded default (existing data dir; fresh)',
    kind: 'time',
    summary: `${formatSpread(existing, { unit: ' s' })}; fresh data dir ${formatSpread(fresh, { unit: ' s' })}`,
    target: { maxSeconds: 5 },
    existingSeconds: existing,
    freshSeconds: fresh,
    runs,
    loadAverage1m: mergeLoads(runs.map((r) => r.loadAverage1m)),
    pass: existing.median <= 5,
  };
}

async function main() {
  const loadAverageAtStart = os.loadavg().map((l) => Number(l.toFixed(2)));
  console.error(
    `bench: ${settings.rounds} round(s) × ${settings.seconds} s per HTTP row after a ${settings.warmupSeconds} s warm-up; ` +
      `${settings.runs} run(s) per time row${settings.quick ? ' (BENCH_QUICK)' : ''}; load average ${loadAverageAtStart.join(' ')} on ${cpus()} CPUs`,
  );
  await ensureDatabase(databaseUrl);
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  const ceilingId = await seedCeiling(sql);

  const { child: ceilingChild, info } = await spawnJson('bench/lib/ceiling-server.mjs', { DATABASE_URL: databaseUrl });
  const ceilingUrl = `http://127.0.0.1:${info.port}`;
  const api = await startApi({ DATABASE_URL: databaseUrl, ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: adminPassword }, 3900);
  const rows = [];
  /** An HTTP row against the shared ceiling server: `app` and `ceiling` are autocannon requests ({ path, method, headers, body }). */
  const run = async ({ name, target = {}, app, ceiling }) => {
    const comparison = await compare({
      app: (duration) => load({ ...app, url: api.url + app.path, duration }),
      ceiling: (duration) => load({ ...ceiling, url: ceilingUrl + ceiling.path, duration }),
    });
    const row = httpRow({ name, target, comparison });
    rows.push(row);
    console.error(`  ${name}: ${row.summary}${row.pass ? '' : ' — FAIL'}`);
  };
  try {
    await run({ name: 'bare JSON (framework overhead): GET /health/live vs bare Fastify', app: { path: '/health/live' }, ceiling: { path: '/json' } });
    await run({ name: 'readiness with DB ping: GET /health/ready vs bare Fastify+pg SELECT 1', target: { minRatio: 0.5 }, app: { path: '/health/ready' }, ceiling: { path: '/ping' } });
    const ctx = { apiUrl: api.url, ceilingUrl, ceilingId, sql, adminEmail, adminPassword, settings, load, compare, httpRow, run, rows };
    for (const file of readdirSync('bench/scenarios').filter((f) => f.endsWith('.mjs')).sort()) {
      const { scenarios } = await import(`./scenarios/${file}`);
      await scenarios(ctx);
    }
    const rss = rssMb(api.child.pid);
    rows.push({ name: 'memory under the GET load (RSS of the API process)', kind: 'check', summary: `${rss} MB`, rssMb: rss, target: { maxRssMb: 300 }, loadAverage1m: summariseLoad([os.loadavg()[0]]), pass: rss <= 300 });
  } finally {
    await stop(api.child);
    await stop(ceilingChild);
    await sql.end();
  }
  rows.push(await measureStartup());

  const result = {
    at: new Date().toISOString(),
    database: `PostgreSQL (${new URL(databaseUrl).host})`,
    settings,
    node: process.version,
    cpus: cpus(),
    loadAverageAtStart,
    loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))),
    rows,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(table(result));
}

function targetText(target = {}) {
  const parts = [];
  if (target.minRatio !== undefined) parts.push(`≥ ${target.minRatio} × ceiling req/s`);
  if (target.maxP99Ratio !== undefined) parts.push(`p99 ≤ ${target.maxP99Ratio} × ceiling`);
  if (target.index) parts.push('index scan');
  if (target.maxP99Ms !== undefined) parts.push(`p99 ≤ ${target.maxP99Ms} ms`);
  if (target.minPerSecond !== undefined) parts.push(`≥ ${target.minPerSecond}/s`);
  if (target.maxSeconds !== undefined) parts.push(`≤ ${target.maxSeconds} s`);
  if (target.maxRssMb !== undefined) parts.push(`≤ ${target.maxRssMb} MB`);
  if (target.winnersPerLead !== undefined) parts.push(`${target.winnersPerLead} winner per lead`);
  if (target.allDelivered) parts.push('all delivered');
  if (target.firedOnceEach) parts.push('each fired once');
  return parts.join(', ') || '—';
}

function table(result) {
  const s = result.settings;
  const lines = [
    `Bench on ${result.database}, ${result.at}: HTTP rows ${s.rounds} round(s) × ${s.seconds} s (ceiling and app interleaved, after a ${s.warmupSeconds} s warm-up), ` +
      `time rows ${s.runs} run(s)${s.quick ? ' — BENCH_QUICK smoke test, not evidence' : ''}. ` +
      `Figures: median (min–max); a row passes on its median. Load average: 1 min, mean / max while the row measured, ${result.cpus} CPUs.`,
    '',
    '| row | target | median (min–max) | pass | load avg |',
    '|---|---|---|---|---|',
  ];
  for (const r of result.rows) {
    const loadText = r.loadAverage1m ? `${r.loadAverage1m.mean} / ${r.loadAverage1m.max}` : '';
    lines.push(`| ${r.name} | ${targetText(r.target)} | ${r.summary ?? ''} | ${r.pass ? 'yes' : 'NO'} | ${loadText} |`);
  }
  return lines.join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
