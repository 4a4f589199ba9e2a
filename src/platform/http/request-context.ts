import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CLS_ID, ClsServiceManager, type ClsService } from 'nestjs-cls';
import type { BaseLogger } from 'pino';
import { httpRequestDuration } from '../observability/metrics.js';

/** nestjs-cls key of the current Fastify request (log bindings are derived from it lazily). */
const CLS_REQUEST = 'httpRequest';

/**
 * The bindings every log line made while handling a request carries (`req` id, method, url and
 * `service`), read from the request's nestjs-cls store. Passed to pino as its `mixin`, so they
 * are computed per log line — rare — instead of a pino child logger per request (serializing
 * and redacting bindings on every request cost ~7% of a bare request's CPU).
 */
export function requestLogBindings(): Record<string, unknown> {
  const request = ClsServiceManager.getClsService().get<FastifyRequest | undefined>(CLS_REQUEST);
  return request ? { req: { id: request.id, method: request.method, url: request.url }, service: 'crm-api' } : {};
}

/**
 * Opens the per-request context in one Fastify `onRequest` hook instead of Express-style
 * middlewares run through @fastify/middie, and one AsyncLocalStorage (nestjs-cls') instead of two
 * (nestjs-pino's is never entered: with two, every promise of every request pays propagation for
 * both). The hook runs where middie ran (onRequest), so the context reaches the guards,
 * interceptors, handlers and filters:
 * - nestjs-cls: a fresh store whose id is the request id (audit `request_id`, event correlation);
 *   `@Transactional()` and `Tx` keep their transaction in it;
 * - logging: see {@link requestLogBindings}; at debug/trace level one `request completed` line per
 *   request is written (pino-http's autoLogging).
 * Also sets `x-request-id` on the response and observes the request duration metric, with
 * callback hooks (an async hook costs a promise and a tick per request).
 */
export function mountRequestContext(fastify: FastifyInstance, cls: ClsService, logger: Pick<BaseLogger, 'info'>, options: { logRequests: boolean }): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    cls.runWith({ [CLS_ID]: request.id, [CLS_REQUEST]: request } as never, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    httpRequestDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    // Runs inside the request's context, so the line carries `req` and `service`.
    if (options.logRequests) logger.info({ res: reply.raw, responseTime: Math.round(reply.elapsedTime) }, 'request completed');
    done();
  });
}
