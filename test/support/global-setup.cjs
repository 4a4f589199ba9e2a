// Runs once before all test files (plain Node: no TypeScript, no moduleNameMapper here).
// Refuses a DATABASE_URL whose database name lacks "test", so nobody wipes real data: each
// test file creates its own throw-away database on that server (see test/support/database.ts).
module.exports = async () => {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log('\n[tests] DATABASE_URL unset: each test file runs on a fresh in-memory embedded PostgreSQL (PGlite).');
    // One initdb for the whole run: every test file's PGlite starts from this template.
    require('node:child_process').execFileSync(process.execPath, [require('node:path').join(__dirname, 'pglite-template.mjs')], { stdio: 'inherit' });
    return;
  }
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!/test/i.test(name)) {
    throw new Error(`[tests] refusing DATABASE_URL with database "${name}": its name must contain "test"`);
  }
  console.log(`\n[tests] real PostgreSQL at ${new URL(url).host}: each test file gets its own database.`);
};
