import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import type { Income } from '../../domain/income.entity.js';

export class IncomeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'INC-2026-000003' }) code: string;
  @ApiProperty({ format: 'uuid' }) costCentreId: string;
  @ApiProperty({ example: 2_000_000 }) amountMinor: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ example: '2026-03-15' }) receivedOn: string;
  @ApiProperty({ example: 'Customer payment, milestone 1' }) source: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) accountId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) recordedBy: string | null;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class IncomePage extends PageMetaDto {
  @ApiProperty({ type: [IncomeResponse] }) items: IncomeResponse[];
}

export const toIncomeResponse = (i: Income): IncomeResponse => ({
  id: i.id, code: i.code, costCentreId: i.costCentreId, amountMinor: i.amountMinor, currency: i.currency, receivedOn: i.receivedOn, source: i.source,
  description: i.description, accountId: i.accountId, recordedBy: i.recordedBy, version: i.version, createdAt: i.createdAt.toISOString(), updatedAt: i.updatedAt.toISOString(),
});
