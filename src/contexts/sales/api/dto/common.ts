import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsIn, IsISO4217CurrencyCode, IsOptional, IsString, Matches, MaxLength, ValidateBy, type ValidationOptions } from 'class-validator';

export const MAX_CUSTOM_FIELDS = 50;

/** `customFields`: at most 50 keys (1–64 chars, `[A-Za-z0-9_]`) with string (≤ 1000), number, boolean or null values. */
export function IsCustomFields(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCustomFields',
      validator: {
        validate: (value: unknown) => {
          if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return (
            entries.length <= MAX_CUSTOM_FIELDS &&
            entries.every(
              ([k, v]) =>
                /^[A-Za-z0-9_]{1,64}$/.test(k) &&
                (v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 1000)),
            )
          );
        },
        defaultMessage: () =>
          `customFields must be an object of at most ${MAX_CUSTOM_FIELDS} keys ([A-Za-z0-9_], ≤ 64 chars) with string (≤ 1000 chars), number, boolean or null values`,
      },
    },
    options,
  );
}

export const CUSTOM_FIELDS_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { oneOf: [{ type: 'string', maxLength: 1000 }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }] },
  maxProperties: MAX_CUSTOM_FIELDS,
  example: { erpSegment: 'B2B', employees: 250 },
  description: 'Custom fields: scalar values by key',
};

export class AddressDto {
  @ApiPropertyOptional({ example: 'Hauptstraße 5' }) @IsOptional() @IsString() @MaxLength(200) street?: string;
  @ApiPropertyOptional({ example: 'Berlin' }) @IsOptional() @IsString() @MaxLength(100) city?: string;
  @ApiPropertyOptional({ example: 'BE' }) @IsOptional() @IsString() @MaxLength(100) region?: string;
  @ApiPropertyOptional({ example: '10115' }) @IsOptional() @IsString() @MaxLength(20) postalCode?: string;
  @ApiPropertyOptional({ example: 'DE', description: 'ISO 3166-1 alpha-2' }) @IsOptional() @IsString() @MaxLength(2) country?: string;
}

/** Query flag `?force=true` style booleans arrive as strings. */
export const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ReasonRequest {
  @ApiProperty({ example: 'Budget frozen until next year', maxLength: 500 }) @IsString() @MaxLength(500) reason: string;
}

export class IdResponse {
  @ApiProperty({ format: 'uuid', example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' }) id: string;
}

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** A validated enum value; `@IsIn` plus the OpenAPI enum with its name. */
export const enumProp = (values: readonly string[], enumName: string, example: string, required = true) =>
  (required ? ApiProperty : ApiPropertyOptional)({ enum: values as string[], enumName, example });
export const isIn = (values: readonly string[]) => IsIn(values as string[]);

/** An ISO 4217 currency code in upper case (`EUR`), as stored in `char(3)` columns. */
export const IsCurrency = () =>
  applyDecorators(IsISO4217CurrencyCode({ message: '$property must be an ISO 4217 currency code such as EUR' }), Matches(/^[A-Z]{3}$/, { message: '$property must be upper case, e.g. EUR' }));

/**
 * `?customFields={"erpSegment":"B2B"}` on a list: records whose custom fields contain every given
 * key/value pair (jsonb containment, served by a GIN index). Malformed JSON → 400.
 */
export function CustomFieldsFilter(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: String,
      description: 'JSON object of custom-field values the records must all have (containment)',
      example: '{"erpSegment":"B2B"}',
    }),
    IsOptional(),
    Transform(({ value }) => {
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    }),
    IsCustomFields({ message: 'customFields must be a JSON object of custom-field values, e.g. {"erpSegment":"B2B"}' }),
  );
}
