import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
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

interface PropertyMetadata {
  nullable?: boolean;
  type?: unknown;
}

type Class = abstract new (...args: never[]) => unknown;

/** The documented properties of a request class (@ApiProperty), read once per class. */
const documented = new WeakMap<object, Map<string, PropertyMetadata>>();

function propertiesOf(type: Class): Map<string, PropertyMetadata> | undefined {
  const prototype = type.prototype as object | undefined;
  if (!prototype) return undefined;
  let properties = documented.get(prototype);
  if (!properties) {
    const names = (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, prototype) ?? []) as string[];
    properties = new Map(
      names.map((name) => name.slice(1)).map((name) => [name, (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, prototype, name) ?? {}) as PropertyMetadata]),
    );
    documented.set(prototype, properties);
  }
  return properties.size ? properties : undefined;
}

/** The request class a property's documented `type` names (`Foo`, `() => Foo`, `[Foo]`), if any. */
function classOf(type: unknown): Class | undefined {
  const candidate = Array.isArray(type) ? type[0] : type;
  if (typeof candidate !== 'function') return undefined;
  // A class has a prototype; a lazy type (`() => Foo`) is an arrow function, which has none.
  const resolved = (candidate.prototype ? candidate : (candidate as () => unknown)()) as unknown;
  return typeof resolved === 'function' && resolved.prototype && propertiesOf(resolved as Class) ? (resolved as Class) : undefined;
}

/**
 * `null` where the API does not declare a property nullable (`nullable: true` on its
 * @ApiProperty): class-validator's `@IsOptional()` lets null through, and a required field's
 * own checks may not name null, so the body is checked against the documented schema first.
 */
export function nullFields(type: Class, value: unknown, prefix = '', errors: FieldError[] = [], depth = 0): FieldError[] {
  const properties = propertiesOf(type);
  if (!properties || depth > 16 || value === null || typeof value !== 'object') return errors;
  for (const [key, item] of Object.entries(value)) {
    const property = properties.get(key);
    if (!property) continue; // unknown fields are refused by the whitelist
    const field = prefix ? `${prefix}.${key}` : key;
    if (item === null) {
      if (!property.nullable) errors.push({ field, message: `${key} must not be null` });
      continue;
    }
    const nested = classOf(property.type);
    if (!nested) continue;
    if (Array.isArray(item)) item.forEach((element, i) => nullFields(nested, element, `${field}[${i}]`, errors, depth + 1));
    else nullFields(nested, item, field, errors, depth + 1);
  }
  return errors;
}

/**
 * The global pipe: class-validator's rules, plus {@link nullFields} on bodies; every invalid
 * field of both is listed in one 400.
 */
class CrmValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const nulls = metadata.type === 'body' && metadata.metatype ? nullFields(metadata.metatype as Class, value) : [];
    if (!nulls.length) return super.transform(value, metadata);
    const named = new Set(nulls.map((e) => e.field));
    let others: FieldError[] = [];
    try {
      await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      others = (error.errors ?? []).filter((e) => !named.has(e.field));
    }
    throw validationError([...nulls, ...others]);
  }
}

/**
 * Global validation: strips nothing silently — unknown fields are refused (no mass assignment
 * of owner, status, version…), values are transformed to their declared types.
 */
export function createValidationPipe(): ValidationPipe {
  return new CrmValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => validationError(flatten(errors)),
  });
}
