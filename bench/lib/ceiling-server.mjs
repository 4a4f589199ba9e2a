// The ceiling: the least work any implementation must do — a bare Fastify handler running the
// same SQL through `pg`, no framework, auth, validation or serialization rules. Started by
// bench/run.mjs as its own process; prints `{"port": n}` when listening.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL ?? 10) });
const app = Fastify({ logger: false });

app.get('/json', async () => ({ status: 'ok' }));
app.get('/ping', async () => {
  await pool.query('SELECT 1');
  return { status: 'ok' };
});
app.get('/rows/:id', async (req, reply) => {
  const { rows } = await pool.query('SELECT * FROM bench_ceiling.row WHERE id = $1', [req.params.id]);
  if (!rows[0]) return reply.code(404).send({ status: 404 });
  return rows[0];
});
app.post('/rows', async (req, reply) => {
  const { rows } = await pool.query(
    'INSERT INTO bench_ceiling.row (id, name, email, amount_minor) VALUES (gen_random_uuid(), $1, $2, $3) RETURNING *',
    [req.body.name, req.body.email, req.body.amountMinor],
  );
  return reply.code(201).send(rows[0]);
});
// Same SQL as a scenario's list query, passed in by the runner (trusted, bench-only).
app.post('/sql', async (req) => {
  const { rows } = await pool.query(req.body.sql, req.body.params);
  return { items: rows };
});

const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: Number(new URL(address).port) })}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await pool.end();
  process.exit(0);
});
