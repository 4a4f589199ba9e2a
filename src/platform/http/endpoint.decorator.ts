import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiHeader, ApiOperation, ApiResponse, ApiSecurity, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import { Permission, Public } from '../identity/domain/actor.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsDto } from './problem.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: every invalid field is listed in `errors`',
  401: 'Missing, expired or invalid credentials',
  403: 'The caller lacks the permission this operation needs',
  404: 'No such record, or it is outside the caller’s data scope',
  409: 'Conflict with the record’s current state (illegal transition, locked, duplicate)',
  412: 'If-Match does not match the record’s current version',
  413: 'Request body too large',
  422: 'A business rule refused the request',
  429: 'Too many requests; retry after `Retry-After` seconds',
  503: 'Not ready or temporarily unavailable; retry later',
};

/** Documents problem+json error responses with the shared schema. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
      }),
    ),
  );
}

export interface EndpointOptions {
  /** `<context>_<verbNoun>`, unique in the document. */
  operationId: string;
  summary: string;
  description?: string;
  /** Permission the route needs; omit only together with `public: true`. */
  permission?: string;
  public?: boolean;
  /** Error statuses besides the standard ones (400; 401/403 for non-public routes). */
  errors?: number[];
  /** Accepts `Idempotency-Key` (every POST that creates or changes something does). */
  idempotent?: boolean;
  /** Accepts `If-Match` (updates and transitions). */
  ifMatch?: boolean;
}

/**
 * One decorator per route: its permission (or explicit public), OpenAPI operation, security
 * and error responses. Deny is the default: the access guard refuses a route that has neither
 * a permission nor `public`.
 */
export function Endpoint(options: EndpointOptions) {
  const errors = new Set<number>([400, ...(options.errors ?? [])]);
  const decorators: Array<ClassDecorator | MethodDecorator | PropertyDecorator> = [
    ApiOperation({ operationId: options.operationId, summary: options.summary, description: options.description ?? `${options.summary}.` }),
  ];
  if (options.public) {
    decorators.push(Public());
  } else {
    if (!options.permission) throw new Error(`Endpoint ${options.operationId} needs a permission or public: true`);
    errors.add(401).add(403);
    decorators.push(Permission(options.permission), ApiBearerAuth('bearer'), ApiSecurity('apiKey'), ApiExtension('x-permission', options.permission));
  }
  if (options.idempotent) {
    decorators.push(
      UseInterceptors(IdempotencyInterceptor),
      ApiHeader({
        name: 'Idempotency-Key',
        required: false,
        description: 'Retry-safe POST: the same key and body within 24 h replays the first response; another body → 422',
      }),
    );
  }
  if (options.ifMatch) {
    errors.add(412);
    decorators.push(
      ApiHeader({ name: 'If-Match', required: false, description: 'ETag from a previous response; stale → 412' }),
    );
  }
  decorators.push(ApiProblems(...[...errors].sort()));
  return applyDecorators(...decorators);
}
