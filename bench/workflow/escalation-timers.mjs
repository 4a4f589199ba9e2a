// Bench (QUALITY.md "scheduler: 100,000 due timers, 2 replicas, ≤ 20 s, each fired once"):
// seeds N running approvals whose active step has timed out with action `escalate`, plus their
// due `workflow.step-timeout` rows in platform.timers on 2 API replicas (already running, on the
// same PostgreSQL) and measures the time from the commit of the timers until every timer fired
// (the replicas' boot is not counted; the batch handler fires 500 per transaction). Checks each
// fired exactly once (one `escalated` history row, one escalated task and one new escalation
// task per instance, no timers left). Prints the load average (before, after, and sampled every
// second while the timers fire: `loadAverage1m`): the machine may be shared.
//
//   npm run build && node bench/workflow/escalation-timers.mjs
//   env: BENCH_DATABASE_URL | DATABASE_URL (default postgres://postgres@127.0.0.1:5432/crm_bench_workflow),
//        BENCH_TIMERS (default 100000), BENCH_REPLICAS (default 2)
import os from 'node:os';
import pg from 'pg';
import { startApi, stop } from '../lib/harness.mjs';
import { loadSampler } from '../lib/stats.mjs';

const N = Number(process.env.BENCH_TIMERS ?? 100_000);
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 2);
const TARGET_SECONDS = 20;
const base = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/crm_bench_workflow';
const dbName = `test_bench_wf_${Date.now().toString(36)}`;
const url = new URL(base);
url.pathname = `/${dbName}`;
const server = new URL(base);
server.pathname = '/postgres';

async function admin(sql) {
  const c = new pg.Client({ connectionString: server.toString() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function main() {
  await admin(`CREATE DATABASE ${dbName}`);
  const env = { DATABASE_URL: url.toString(), MIGRATE_ON_START: 'true', ADMIN_EMAIL: 'bench-admin@example.com', ADMIN_PASSWORD: 'bench-admin-password' };
  // Migrate (and bootstrap the admin, the escalation fallback) once, then stop.
  await stop((await startApi(env, 3931)).child);
  const sql = new pg.Client({ connectionString: url.toString() });
  await sql.connect();
  try {
    const seedStarted = Date.now();
    // Approvers are not in the directory, so each escalation goes to the admins (the fallback path).
    await sql.query(`
      INSERT INTO workflow.approval_instance (id, subject_type, subject_id, subject_code, title, requester_id, attributes, status, current_step_index)
      SELECT gen_random_uuid(), 'bench.subject', g::text, 'B-' || g, 'bench ' || g, gen_random_uuid(), '{}', 'running', 0
        FROM generate_series(1, $1) g`, [N]);
    await sql.query(`
      INSERT INTO workflow.approval_step (id, instance_id, step_index, name, mode, approver, timeout, status, started_at, due_at)
      SELECT gen_random_uuid(), i.id, 0, 'Manager', 'any', '{"type":"manager"}', '{"after":"PT1H","action":"escalate"}', 'active', now() - interval '2 hours', now() - interval '1 hour'
        FROM workflow.approval_instance i WHERE i.subject_type = 'bench.subject'`);
    await sql.query(`
      INSERT INTO workflow.task (id, kind, instance_id, step_id, assignee_id, via, title, status, due_at)
      SELECT gen_random_uuid(), 'approval', s.instance_id, s.id, gen_random_uuid(), 'manager', 'bench', 'open', s.due_at FROM workflow.approval_step s`);
    await sql.query('ANALYZE');
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    const replicas = await Promise.all(Array.from({ length: REPLICAS }, (_, r) => startApi(env, 3932 + r)));
    const loadBefore = os.loadavg();
    const sampler = loadSampler();
    let seconds, loadAfter, loadAverage1m;
    try {
      // The timers become due (all at once, in one commit) while both replicas run.
      await sql.query(`
        INSERT INTO platform.timers (kind, key, due_at, payload)
        SELECT 'workflow.step-timeout', s.id::text, s.due_at, jsonb_build_object('stepId', s.id) FROM workflow.approval_step s`);
      const started = Date.now();
      // Polls with EXISTS, not count(*): counting 100,000 rows every 250 ms cost the database
      // ~0.1 s per poll (≈ 14 s of the run's database time at N = 100,000), competing with the replicas.
      let left = true;
      while (left) {
        await new Promise((res) => setTimeout(res, 250));
        left = (await sql.query(`SELECT EXISTS (SELECT 1 FROM platform.timers WHERE kind = 'workflow.step-timeout') AS left`)).rows[0].left;
        // A replica that died (e.g. a connection timeout on an overloaded machine) would leave
        // the loop waiting for 30 minutes: the run fails at once instead.
        const dead = replicas.find((r) => r.child.exitCode !== null || r.child.signalCode !== null);
        if (left && dead) throw new Error(`a replica exited (${dead.child.exitCode ?? dead.child.signalCode}) before every timer fired`);
        if (Date.now() - started > 30 * 60_000) break;
      }
      seconds = (Date.now() - started) / 1000;
      loadAfter = os.loadavg();
    } finally {
      loadAverage1m = sampler.stop();
      await Promise.all(replicas.map((r) => stop(r.child)));
    }

    const { rows: [check] } = await sql.query(`
      SELECT (SELECT count(*)::int FROM workflow.approval_history WHERE action = 'escalated') AS escalations,
             (SELECT count(*)::int FROM (SELECT instance_id FROM workflow.approval_history WHERE action = 'escalated' GROUP BY instance_id HAVING count(*) > 1) d) AS duplicated,
             (SELECT count(*)::int FROM workflow.task WHERE status = 'escalated') AS escalated_tasks,
             (SELECT count(*)::int FROM workflow.task WHERE delegated_from_task_id IS NOT NULL) AS new_tasks,
             (SELECT count(*)::int FROM platform.timers WHERE kind = 'workflow.step-timeout') AS timers_left`);
    const result = {
      scenario: `workflow: ${N} due escalation timers, ${REPLICAS} replicas`,
      database: 'postgresql',
      seedSeconds,
      secondsToFireAll: seconds,
      timersPerSecond: Math.round(N / seconds),
      ...check,
      firedOnceEach: check.escalations === N && check.duplicated === 0 && check.escalated_tasks === N && check.new_tasks === N && check.timers_left === 0,
      cpus: os.cpus().length,
      loadAverage1mBefore: Number(loadBefore[0].toFixed(2)),
      loadAverage1mAfter: Number(loadAfter[0].toFixed(2)),
      loadAverage1m,
      target: `≤ ${TARGET_SECONDS} s`,
      meetsTarget: seconds <= TARGET_SECONDS && check.escalations === N && check.duplicated === 0 && check.new_tasks === N && check.timers_left === 0,
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(
      `\n| scenario | s to fire all | timers/s | fired once each | load avg 1m (before → after, ${result.cpus} CPUs) | target |\n|---|---|---|---|---|---|\n` +
        `| ${result.scenario} | ${seconds.toFixed(1)} | ${result.timersPerSecond} | ${result.firedOnceEach} | ${result.loadAverage1mBefore} → ${result.loadAverage1mAfter} | ${result.target} ${result.meetsTarget ? '✓' : '✗'} |`,
    );
  } finally {
    await sql.end();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
