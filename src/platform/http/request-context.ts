import type { FastifyInstance } from 'fastify';
import { CLS_ID, type ClsService } from 'nestjs-cls';
import type { PinoLogger } from 'nestjs-pino';

/**
 * Opens the per-request contexts in one Fastify `onRequest` hook instead of three Express-style
 * middlewares run through @fastify/middie (nestjs-cls' ClsMiddleware, pino-http and nestjs-pino's
 * logger binder), which cost path matching, a pino child with every request header serialized
 * and redacted, and two extra callbacks per request. The hook runs where middie ran (onRequest),
 * so the async contexts reach the guards, interceptors, handlers and filters exactly as before:
 * - nestjs-cls: a fresh store whose id is the request id (audit `request_id`, event correlation);
 *   `@Transactional()` and `Tx` keep their transaction in it;
 * - nestjs-pino: every log line made while handling the request carries `req` (id, method, url)
 *   and `service`; at debug/trace level one `request completed` line per request is written
 *   (pino-http's autoLogging).
 */
export function mountRequestContext(fastify: FastifyInstance, cls: ClsService, logger: PinoLogger, options: { logRequests: boolean }): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const bindings = { req: { id: request.id, method: request.method, url: request.url }, service: 'crm-api' };
    logger.runInContext(
      () =>
        cls.run(() => {
          cls.set(CLS_ID, request.id);
          done();
        }),
      { bindings },
    );
  });
  if (options.logRequests) {
    // Runs inside the request's logging context, which already binds `req` and `service`.
    fastify.addHook('onResponse', (_request, reply, done) => {
      logger.logger.info({ res: reply.raw, responseTime: Math.round(reply.elapsedTime) }, 'request completed');
      done();
    });
  }
}
