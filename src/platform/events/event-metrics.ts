import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '../observability/metrics.js';

export interface OutboxStats {
  /** Age in seconds of the oldest delivery not yet attempted (0 when none). */
  lagSeconds: number;
  pending: number;
  retrying: number;
  parked: number;
}

/** The running dispatcher's source of outbox statistics, read at scrape time. */
let statsSource: (() => Promise<OutboxStats>) | null = null;
let lastStats: OutboxStats = { lagSeconds: 0, pending: 0, retrying: 0, parked: 0 };

export function setOutboxStatsSource(source: (() => Promise<OutboxStats>) | null): void {
  statsSource = source;
  inFlight = null;
}

let inFlight: { at: number; promise: Promise<OutboxStats> } | null = null;

/** Current outbox statistics; one query serves every gauge of a scrape (and readiness). */
function refresh(): Promise<OutboxStats> {
  const source = statsSource;
  if (!source) return Promise.resolve(lastStats);
  if (inFlight && Date.now() - inFlight.at < 250) return inFlight.promise;
  const promise = source().then(
    (stats) => (lastStats = stats),
    () => lastStats, // keep the previous figures when the database is briefly unreachable
  );
  inFlight = { at: Date.now(), promise };
  return promise;
}

export const eventDeliveries = new Counter({
  name: 'crm_event_deliveries_total',
  help: 'Domain event deliveries by consumer and outcome (delivered, failed = will retry, parked)',
  labelNames: ['consumer', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const eventDeliveryLatency = new Histogram({
  name: 'crm_event_delivery_latency_seconds',
  help: 'Time from publication (occurredAt) to successful handling, first attempts only',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60],
  registers: [metricsRegistry],
});

export const eventsPublished = new Counter({
  name: 'crm_events_published_total',
  help: 'Domain events written to the outbox (counted at publish; rolled-back ones included)',
  registers: [metricsRegistry],
});

export const timersFired = new Counter({
  name: 'crm_timers_fired_total',
  help: 'Durable timers fired, by kind and outcome (fired, failed = will retry, parked; batch-fallback = an @OnTimers batch failed and its timers ran one by one)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [metricsRegistry],
});

new Gauge({
  name: 'crm_outbox_lag_seconds',
  help: 'Age of the oldest event delivery not yet attempted',
  registers: [metricsRegistry],
  async collect() {
    this.set((await refresh()).lagSeconds);
  },
});

new Gauge({
  name: 'crm_event_deliveries_pending',
  help: 'Deliveries waiting: state=new (never attempted) or retrying (failed, waiting for backoff)',
  labelNames: ['state'] as const,
  registers: [metricsRegistry],
  async collect() {
    const stats = await refresh();
    this.set({ state: 'new' }, stats.pending);
    this.set({ state: 'retrying' }, stats.retrying);
  },
});

new Gauge({
  name: 'crm_event_deliveries_parked',
  help: 'Deliveries parked after exhausting their attempts (see GET /api/v1/events/deliveries?status=parked)',
  registers: [metricsRegistry],
  async collect() {
    this.set((await refresh()).parked);
  },
});

export { refresh as readOutboxStats };
