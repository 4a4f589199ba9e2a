import { parseArgs } from 'node:util';
import { ClsService } from 'nestjs-cls';
import { createApp } from '../app.js';
import { loadConfig } from '../platform/config/app-config.js';
import { EventReplay } from '../platform/events/event-replay.js';
import { EventDispatcher } from '../platform/events/event-dispatcher.js';

/**
 * `npm run events:replay -- --consumer <name> --from <ISO time> [--no-deliver]`: schedules the
 * consumer's deliveries of every retained event since `--from` again, then delivers them here
 * (or leaves them to the running replicas with `--no-deliver`). Uses DATABASE_URL / DATA_DIR
 * like the app; background workers stay off in this process.
 */
const { values } = parseArgs({
  options: { consumer: { type: 'string' }, from: { type: 'string' }, 'no-deliver': { type: 'boolean', default: false } },
});
const from = values.from ? new Date(values.from) : undefined;
if (!values.consumer || !from || Number.isNaN(from.getTime())) {
  console.error('usage: npm run events:replay -- --consumer <ctx.purpose> --from <ISO 8601 time> [--no-deliver]');
  process.exit(64); // EX_USAGE
}
const running = await createApp({ ...loadConfig({ ...process.env, WORKERS: 'false', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }) }, { docs: false });
try {
  const scheduled = await running.app.get(ClsService).run(() => running.app.get(EventReplay).replay(values.consumer!, from));
  console.log(`replay: ${scheduled} deliveries to ${values.consumer} since ${from.toISOString()} scheduled`);
  if (!values['no-deliver']) {
    await running.app.get(EventDispatcher).drain();
    console.log('replay: delivered');
  }
} catch (error) {
  console.error(`replay failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await running.close();
}
