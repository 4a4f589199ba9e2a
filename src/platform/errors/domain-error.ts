/**
 * What kind of refusal an error is; the HTTP layer maps each kind to one status code, so
 * services never format HTTP errors themselves.
 */
export const ERROR_STATUS = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'precondition-failed': 412,
  'rule-violated': 422,
  'rate-limited': 429,
} as const;

export type ErrorKind = keyof typeof ERROR_STATUS;

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A refusal with a stable machine-readable `code` (e.g. `sales.opportunity.illegal-stage-transition`),
 * a human `detail`, and optional extra members that end up in the problem+json body.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    readonly detail: string,
    readonly extras: Record<string, unknown> = {},
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_STATUS[this.kind];
  }
}

export class NotFoundError extends DomainError {
  constructor(recordType: string, id?: string) {
    super('not-found', 'not-found', id ? `${recordType} ${id} was not found` : `${recordType} was not found`);
  }
}

export class StaleVersionError extends DomainError {
  constructor(expected: number, current: number) {
    super('precondition-failed', 'stale-version', `If-Match version ${expected} is stale; the current version is ${current}`, {
      currentVersion: current,
    });
  }
}

export class IllegalTransitionError extends DomainError {
  constructor(code: string, from: string, to: string, allowed: readonly string[]) {
    super('conflict', code, `Cannot go from "${from}" to "${to}"; allowed: ${allowed.join(', ') || 'none'}`, { from, to, allowed });
  }
}
