import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One check's verdict: `down` makes `/health/ready` answer 503, `degraded` is reported with 200. */
export interface CheckStatus {
  status: 'up' | 'degraded' | 'down';
  [detail: string]: unknown;
}

/** A named check's result, e.g. `{ outbox: { status: 'up', lagSeconds: 0 } }`. */
export type CheckResult = Record<string, CheckStatus>;

export type ReadinessCheck = () => Promise<CheckResult>;

/** The body of `/health/ready` (the shape @nestjs/terminus used, kept for existing probes). */
export interface ReadinessReport {
  status: 'ok' | 'degraded' | 'error';
  info: CheckResult;
  error: CheckResult;
  details: CheckResult;
}

/** A database ping answers every readiness request for this long (and while it is in flight). */
const PING_REUSE_MS = 250;
const PING_TIMEOUT_MS = 3_000;

interface PgPool {
  query(text: string): Promise<unknown>;
}

/**
 * Readiness: a database ping plus the checks platform modules contribute (e.g. outbox lag):
 * inject it and call `register` in `onModuleInit`. The ping goes straight to the driver's pool
 * (`SELECT 1`); concurrent and back-to-back probes share one ping for 250 ms, so a flood of
 * readiness requests costs the database at most four statements a second and an outage shows
 * within a quarter of a second.
 */
@Injectable()
export class ReadinessRegistry {
  readonly checks: ReadinessCheck[] = [];
  private ping: { settledAt: number | null; up: Promise<boolean> } | null = null;

  constructor(private readonly dataSource: DataSource) {}

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  /** The report; throws 503 (problem+json listing the checks) when a check is down. */
  async report(): Promise<ReadinessReport> {
    const results = await Promise.all([this.database(), ...this.checks.map((check) => check())]);
    const details: CheckResult = Object.assign({}, ...results);
    const info: CheckResult = {};
    const error: CheckResult = {};
    for (const [name, result] of Object.entries(details)) (result.status === 'down' ? error : info)[name] = result;
    const degraded = Object.values(details).some((result) => result.status === 'degraded');
    const report: ReadinessReport = { status: Object.keys(error).length ? 'error' : degraded ? 'degraded' : 'ok', info, error, details };
    if (report.status === 'error') throw new ServiceUnavailableException(report);
    return report;
  }

  private async database(): Promise<CheckResult> {
    const now = Date.now();
    if (!this.ping || (this.ping.settledAt !== null && now - this.ping.settledAt > PING_REUSE_MS)) {
      const ping = { settledAt: null as number | null, up: this.pingOnce() };
      void ping.up.then(() => (ping.settledAt = Date.now()));
      this.ping = ping;
    }
    return { database: { status: (await this.ping.up) ? 'up' : 'down' } };
  }

  private async pingOnce(): Promise<boolean> {
    const pool = (this.dataSource.driver as unknown as { master: PgPool }).master;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
    try {
      return await Promise.race([pool.query('SELECT 1').then(() => true, () => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
