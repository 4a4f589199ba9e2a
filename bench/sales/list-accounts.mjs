// List 50 accounts filtered by type and sorted by name on a 1,000,000-row table vs the same SQL
// through bare Fastify+pg; the plan must use an index (no seq scan).
// Target (QUALITY.md): req/s ≥ 0.50 × ceiling (median of the rounds); plan uses an index.
import { args, ceiling, compare, connect, httpRow, load, me, report, seedAccounts, usesIndex } from './lib.mjs';

/** The statement the API runs for `?type=customer&sort=name&limit=50` with scope `all` (keyset: one row more). */
export const LIST_SQL = `SELECT * FROM sales.account a WHERE a.type = $1 ORDER BY a.name ASC, a.id ASC LIMIT 51`;

export async function listAccounts({ baseUrl, token, databaseUrl }) {
  const sql = await connect(databaseUrl);
  try {
    const user = await me(baseUrl, token);
    await seedAccounts(sql, user.id);
    const plan = await usesIndex(sql, LIST_SQL, ['customer']);
    const bare = await ceiling(databaseUrl, [{ url: '/accounts', sql: LIST_SQL, params: (req) => [req.query.type], many: true }]);
    try {
      const comparison = await compare({
        ceiling: (duration) => load({ url: `${bare.url}/accounts?type=customer`, duration }),
        app: (duration) => load({ url: `${baseUrl}/api/v1/sales/accounts?type=customer&sort=name&limit=50`, headers: { authorization: `Bearer ${token}` }, duration }),
      });
      return httpRow({
        name: 'sales: list 50 accounts (type filter, name sort) of 1,000,000',
        target: { minRatio: 0.5, index: true },
        comparison,
        plan,
        extraPass: plan.index && !plan.seqScan,
        note: plan.index && !plan.seqScan ? 'index scan' : 'NO index scan',
      });
    } finally {
      await bare.close();
    }
  } finally {
    await sql.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) report(await listAccounts(args()));
