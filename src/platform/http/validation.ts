import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldError } from '../errors/domain-error.js';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? (/^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`) : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return own.concat(flatten(e.children ?? [], field));
  });
}

/** The error every invalid body, query or path parameter produces: 400 listing every field. */
export function validationError(errors: FieldError[]): DomainError {
  const n = errors.length;
  return new DomainError('invalid', 'validation-failed', `The request has ${n} invalid field${n === 1 ? '' : 's'}`, {}, errors);
}

/**
 * Global validation: strips nothing silently — unknown fields are refused (no mass assignment
 * of owner, status, version…), values are transformed to their declared types.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => validationError(flatten(errors)),
  });
}
