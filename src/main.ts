import { createApp } from './app.js';
import { ConfigError, loadConfig } from './platform/config/app-config.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const running = await createApp(config);
  await running.app.listen({ port: config.port, host: '0.0.0.0' });
  const where = running.embedded ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL from DATABASE_URL';
  console.log(`CRM API listening on http://localhost:${config.port} (${where}); docs at /docs`);
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error('Start-up failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
