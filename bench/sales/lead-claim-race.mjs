// Lead pool claim race: LEADS pool leads, each claimed by CLAIMERS concurrent requests at once.
// Pass: every lead has exactly one winner (200), every other claim is refused (409/404), no 5xx.
// Reports claims/s. (The per-rep limit is lifted for the run and restored afterwards.)
import { args, connect, me, report } from './lib.mjs';

const LEADS = Number(process.env.BENCH_RACE_LEADS ?? 200);
const CLAIMERS = Number(process.env.BENCH_RACE_CLAIMERS ?? 20);

export async function leadClaimRace({ baseUrl, token, databaseUrl }) {
  const sql = await connect(databaseUrl);
  const headers = { authorization: `Bearer ${token}` };
  const { rows: [setting] } = await sql.query(`SELECT value FROM sales.setting WHERE key = 'lead-claim-limit'`);
  try {
    await me(baseUrl, token);
    await sql.query(`UPDATE sales.setting SET value = '1000000' WHERE key = 'lead-claim-limit'`);
    const { rows: leads } = await sql.query(
      `INSERT INTO sales.lead (id, last_name, source, status, custom_fields, search_text)
       SELECT gen_random_uuid(), 'Race ' || g, 'import', 'new', '{}', 'race ' || g FROM generate_series(1, $1::int) g RETURNING id`,
      [LEADS],
    );
    const started = Date.now();
    let winners = 0, refused = 0, errors = 0, badLeads = 0;
    for (let i = 0; i < leads.length; i += 10) {
      const batch = leads.slice(i, i + 10);
      const outcomes = await Promise.all(batch.map(async ({ id }) => {
        const statuses = await Promise.all(Array.from({ length: CLAIMERS }, () => fetch(`${baseUrl}/api/v1/sales/leads/${id}/claim`, { method: 'POST', headers }).then((r) => r.status)));
        return statuses;
      }));
      for (const statuses of outcomes) {
        const won = statuses.filter((s) => s === 200).length;
        winners += won;
        refused += statuses.filter((s) => s === 409 || s === 404).length;
        errors += statuses.filter((s) => s >= 500).length;
        if (won !== 1) badLeads++;
      }
    }
    const seconds = (Date.now() - started) / 1000;
    const claims = LEADS * CLAIMERS;
    return {
      name: `sales: lead claim race (${LEADS} leads × ${CLAIMERS} concurrent claims)`,
      summary: `${winners} winners for ${LEADS} leads, ${refused} refused, ${errors} errors, ${Math.round(claims / seconds)} claims/s`,
      winners, refused, errors, badLeads, claimsPerSecond: Math.round(claims / seconds),
      target: { winnersPerLead: 1 },
      pass: badLeads === 0 && errors === 0,
    };
  } finally {
    await sql.query(`UPDATE sales.setting SET value = $1 WHERE key = 'lead-claim-limit'`, [JSON.stringify(setting?.value ?? 50)]);
    await sql.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) report(await leadClaimRace(args()));
