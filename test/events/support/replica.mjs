// One application replica for the reliability tests, run as its own process (so it can be
// kill -9ed): the compiled app (dist/, built by the test) plus the `rel.*` consumers and timer
// handler below. Prints "ready" once started. Every handler invocation is appended to
// REL_LOG (synchronously, before the handler's transaction commits) to count redeliveries.
import { Inject, Injectable, Module } from '@nestjs/common';
import { appendFileSync } from 'node:fs';
import { createApp } from '../../../dist/src/app.js';
import { loadConfig } from '../../../dist/src/platform/config/app-config.js';
import { Tx } from '../../../dist/src/platform/database/transaction.js';
import { OnDomainEvent } from '../../../dist/src/platform/events/on-domain-event.decorator.js';
import { OnTimer, OnTimers } from '../../../dist/src/platform/scheduling/timers.js';

const log = process.env.REL_LOG;
const delayMs = Number(process.env.REL_HANDLER_DELAY_MS ?? 0);

class RelConsumers {
  constructor(tx) {
    this.tx = tx;
  }
  async a(event) {
    if (log) appendFileSync(log, `rel.a ${event.id}\n`);
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    await this.tx.tx.query(`INSERT INTO rel.effect (event_id, consumer) VALUES ($1, 'rel.a')`, [event.id]);
  }
  async b(event) {
    if (log) appendFileSync(log, `rel.b ${event.id}\n`);
    await this.tx.tx.query(`INSERT INTO rel.effect (event_id, consumer) VALUES ($1, 'rel.b')`, [event.id]);
  }
  async timer(timer) {
    await this.tx.tx.query(`INSERT INTO rel.fired (key, pid) VALUES ($1, $2)`, [timer.key, process.pid]);
  }
  async bulk(timers) {
    await this.tx.tx.query(`INSERT INTO rel.fired (key, pid) SELECT k, $2 FROM unnest($1::text[]) AS k`, [timers.map((t) => t.key), process.pid]);
  }
}
Injectable()(RelConsumers);
Inject(Tx)(RelConsumers, undefined, 0);
const decorate = (decorator, name) => decorator(RelConsumers.prototype, name, Object.getOwnPropertyDescriptor(RelConsumers.prototype, name));
decorate(OnDomainEvent('rel.thing.happened', { consumer: 'rel.a' }), 'a');
decorate(OnDomainEvent('rel.thing.*', { consumer: 'rel.b' }), 'b');
decorate(OnTimer('rel.timer'), 'timer');
decorate(OnTimers('rel.bulk'), 'bulk');

class RelModule {}
Module({ providers: [RelConsumers] })(RelModule);

const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', MIGRATE_ON_START: 'false' });
const running = await createApp(config, { extraModules: [RelModule], docs: false });
process.stdout.write('ready\n');
const stop = async () => {
  await running.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
