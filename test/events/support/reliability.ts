import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Injectable, Module } from '@nestjs/common';
import { Transactional } from '../../../src/platform/database/transaction';
import { EventPublisher } from '../../../src/platform/events/event-publisher';
import { OnDomainEvent } from '../../../src/platform/events/on-domain-event.decorator';

export const REL_DDL = `
  CREATE SCHEMA IF NOT EXISTS rel;
  CREATE TABLE IF NOT EXISTS rel.effect (event_id uuid NOT NULL, consumer text NOT NULL);
  CREATE TABLE IF NOT EXISTS rel.fired (key text NOT NULL, pid integer NOT NULL);`;

const ROOT = join(__dirname, '..', '..', '..');

/** Compiles src/ to dist/ (the replicas run the compiled app). */
export function buildDist(): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
}

export interface Replica {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
}

/** Starts test/events/support/replica.mjs on the database; `ready` resolves once it serves. */
export function startReplica(databaseUrl: string, env: Record<string, string> = {}): Replica {
  const child = spawn(process.execPath, [join(__dirname, 'replica.mjs')], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, DATABASE_URL: databaseUrl, DB_POOL_SIZE: '6', ...env },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => line === 'ready' && resolve());
    void exited.then(() => reject(new Error('replica exited before it was ready')));
  });
  ready.catch(() => undefined);
  return { child, ready, exited };
}

export async function stopReplica(replica: Replica): Promise<void> {
  if (replica.child.exitCode !== null || replica.child.signalCode !== null) return;
  replica.child.stdin?.end();
  const timer = setTimeout(() => replica.child.kill('SIGKILL'), 10_000);
  await replica.exited;
  clearTimeout(timer);
}

/** The parent publishes `rel.thing.happened`; its own workers are off (the replicas deliver). */
@Injectable()
export class RelCommands {
  constructor(private readonly events: EventPublisher) {}

  @Transactional()
  async publishMany(count: number, offset: number): Promise<void> {
    await this.events.publishAll(
      Array.from({ length: count }, (_, i) => ({ type: 'rel.thing.happened', aggregateType: 'rel.thing', aggregateId: `agg-${(offset + i) % 500}`, payload: { i: offset + i } })),
    );
  }
}

/** Same consumer names as the replicas, so the parent's outbox fans out to them (never run here: WORKERS=false). */
@Injectable()
export class RelConsumerDeclarations {
  @OnDomainEvent('rel.thing.happened', { consumer: 'rel.a' })
  async a(): Promise<void> {
    throw new Error('the parent does not deliver');
  }
  @OnDomainEvent('rel.thing.*', { consumer: 'rel.b' })
  async b(): Promise<void> {
    throw new Error('the parent does not deliver');
  }
}

@Module({ providers: [RelCommands, RelConsumerDeclarations] })
export class RelParentModule {}
