import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsCurrency } from './common.js';

/** Every Sales parameter; send only those to change. Ranges are enforced (400 naming each field). */
export class UpdateSalesSettingsRequest {
  @ApiPropertyOptional({ example: 30, minimum: 1, maximum: 365, description: 'Days without activity after which an owned open lead returns to the pool (applies to timers armed from then on; armed ones re-check it when they fire)' })
  @IsOptional() @IsInt() @Min(1) @Max(365) leadPoolReturnDays?: number;

  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 10_000, description: 'Open (assigned/working) leads a rep may hold when claiming from the pool' })
  @IsOptional() @IsInt() @Min(1) @Max(10_000) leadClaimLimit?: number;

  @ApiPropertyOptional({ example: 3, minimum: 0, maximum: 60, description: 'Days before a contact’s birthday that the owner gets a care task' })
  @IsOptional() @IsInt() @Min(0) @Max(60) birthdayReminderDays?: number;

  @ApiPropertyOptional({ example: 'EUR', description: 'Currency of the pipeline summary when the caller names none (ISO 4217)' })
  @IsOptional() @IsCurrency() pipelineDefaultCurrency?: string;

  @ApiPropertyOptional({ example: 1000, minimum: 1, maximum: 10_000, description: 'Data rows one lead CSV import may carry (more → 422)' })
  @IsOptional() @IsInt() @Min(1) @Max(10_000) leadImportMaxRows?: number;

  @ApiPropertyOptional({ example: 10, minimum: 1, maximum: 100, description: 'Recent activities, calls and campaign touches the customer 360 shows' })
  @IsOptional() @IsInt() @Min(1) @Max(100) customer360RecentItems?: number;

  @ApiPropertyOptional({
    example: false,
    description:
      'Whether the 409 `possible-duplicate` answer of account and contact creation carries `hiddenCandidates`, the number of matching records you cannot see. Off (default): the field is absent, so the answer never reveals that an invisible record exists.',
  })
  @IsOptional() @IsBoolean() duplicateCheckRevealHiddenCandidates?: boolean;
}
