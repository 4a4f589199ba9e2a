// `npm run bench`: every figure is a ratio against a ceiling measured in the same run on the
// same database (QUALITY.md). Needs a PostgreSQL server: BENCH_DATABASE_URL, else DATABASE_URL,
// else postgres://postgres@127.0.0.1:5432/crm_bench (created if missing). Writes
// bench/results/latest.json and prints a Markdown table. Scenario files in bench/scenarios/*.mjs
// export `scenarios(ctx)` returning more rows (one per context).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { load, ratio, spawnJson, startApi, stop } from './lib/harness.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
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

async function measureStartup() {
  const dir = mkdtempSync(join(tmpdir(), 'crm-bench-'));
  try {
    const env = { DATABASE_URL: '', DATA_DIR: dir, ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: adminPassword };
    const fresh = await startApi(env, 3901);
    await stop(fresh.child);
    const warm = await startApi(env, 3901);
    await stop(warm.child);
    return { freshSeconds: fresh.startSeconds, existingSeconds: warm.startSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  await ensureDatabase(databaseUrl);
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  const ceilingId = await seedCeiling(sql);

  const { child: ceilingChild, info } = await spawnJson('bench/lib/ceiling-server.mjs', { DATABASE_URL: databaseUrl });
  const ceilingUrl = `http://127.0.0.1:${info.port}`;
  const api = await startApi({ DATABASE_URL: databaseUrl, ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: adminPassword }, 3900);
  const rows = [];
  const run = async ({ name, target, app, ceiling, check }) => {
    const c = ceiling ? await load({ ...ceiling, url: ceilingUrl + ceiling.path, duration: DURATION }) : null;
    const a = await load({ ...app, url: api.url + app.path, duration: DURATION });
    const row = { name, app: a, ceiling: c, rpsRatio: c ? ratio(a.rps, c.rps) : null, p99Ratio: c ? ratio(a.p99Ms, Math.max(c.p99Ms, 1)) : null, target };
    if (check) Object.assign(row, await check());
    row.pass = evaluate(row);
    rows.push(row);
    console.error(`  ${name}: ${a.rps} req/s${c ? ` vs ${c.rps} (×${row.rpsRatio})` : ''}, p99 ${a.p99Ms} ms`);
  };
  try {
    await run({ name: 'bare JSON (framework overhead): GET /health/live vs bare Fastify', target: {}, app: { path: '/health/live' }, ceiling: { path: '/json' } });
    await run({ name: 'readiness with DB ping: GET /health/ready vs bare Fastify+pg SELECT 1', target: { minRatio: 0.5 }, app: { path: '/health/ready' }, ceiling: { path: '/ping' } });
    const ctx = { apiUrl: api.url, ceilingUrl, ceilingId, sql, adminEmail, adminPassword, duration: DURATION, load, run, rows };
    for (const file of readdirSync('bench/scenarios').filter((f) => f.endsWith('.mjs')).sort()) {
      const { scenarios } = await import(`./scenarios/${file}`);
      await scenarios(ctx);
    }
    rows.push({ name: 'memory under the GET load (RSS of the API process)', rssMb: rssMb(api.child.pid), target: { maxRssMb: 300 }, pass: rssMb(api.child.pid) <= 300 });
  } finally {
    await stop(api.child);
    await stop(ceilingChild);
    await sql.end();
  }
  const startup = await measureStartup();
  rows.push({ name: 'start-up on the embedded default (fresh data dir / existing)', ...startup, target: { maxSeconds: 5 }, pass: startup.existingSeconds <= 5 });

  const result = { at: new Date().toISOString(), database: `PostgreSQL (${new URL(databaseUrl).host})`, durationSeconds: DURATION, node: process.version, rows };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(table(result));
}

function evaluate(row) {
  const t = row.target ?? {};
  if (t.minRatio !== undefined && (row.rpsRatio ?? 0) < t.minRatio) return false;
  if (t.maxP99Ratio !== undefined && (row.p99Ratio ?? Infinity) > t.maxP99Ratio) return false;
  if (t.maxP99Ms !== undefined && row.app.p99Ms > t.maxP99Ms) return false;
  if (row.app && (row.app.errors > 0 || row.app.non2xx > 0)) return false;
  return true;
}

function table(result) {
  const lines = [
    `Bench on ${result.database}, ${result.durationSeconds} s per load, ${result.at}`,
    '',
    '| scenario | app | ceiling | ratio | target | pass |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of result.rows) {
    const app = r.app ? `${r.app.rps} req/s, p99 ${r.app.p99Ms} ms` : r.rssMb !== undefined ? `${r.rssMb} MB` : r.freshSeconds !== undefined ? `${r.freshSeconds}s / ${r.existingSeconds}s` : (r.summary ?? '');
    const ceiling = r.ceiling ? `${r.ceiling.rps} req/s, p99 ${r.ceiling.p99Ms} ms` : '';
    const ratioText = r.rpsRatio !== null && r.rpsRatio !== undefined ? `×${r.rpsRatio} req/s, ×${r.p99Ratio} p99` : '';
    lines.push(`| ${r.name} | ${app} | ${ceiling} | ${ratioText} | ${JSON.stringify(r.target ?? {})} | ${r.pass ? 'yes' : 'NO'} |`);
  }
  return lines.join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
