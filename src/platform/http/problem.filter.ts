import { Catch, type ArgumentsHost, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem.js';

/** Every error leaves as RFC 9457 problem+json; 5xx are logged with the request id. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}

export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Pick<Logger, 'error'>): void {
  const problem = toProblem(error, request.url.split('?')[0], String(request.id));
  if (problem.status >= 500) {
    logger.error({ err: error, requestId: request.id, url: request.url }, 'Unhandled error');
  }
  if ((problem.status === 429 || problem.status === 503) && typeof problem.retryAfterSeconds === 'number') {
    reply.header('retry-after', String(problem.retryAfterSeconds));
  }
  reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
