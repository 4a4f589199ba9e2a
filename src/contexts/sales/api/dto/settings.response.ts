import { ApiProperty } from '@nestjs/swagger';
import type { SalesSettingsView } from '../../application/sales-settings.service.js';

export class SalesSettingsResponse {
  @ApiProperty({ example: 30 }) leadPoolReturnDays: number;
  @ApiProperty({ example: 50 }) leadClaimLimit: number;
  @ApiProperty({ example: 3 }) birthdayReminderDays: number;
  @ApiProperty({ example: 'EUR' }) pipelineDefaultCurrency: string;
  @ApiProperty({ example: 1000 }) leadImportMaxRows: number;
  @ApiProperty({ example: 10 }) customer360RecentItems: number;
  @ApiProperty({ example: false, description: 'Possible-duplicate answers carry `hiddenCandidates` (the count of matching records you cannot see) only when true' })
  duplicateCheckRevealHiddenCandidates: boolean;
  @ApiProperty({ example: 1, description: 'Version of the whole settings set (also the ETag)' }) version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export const toSalesSettingsResponse = (s: SalesSettingsView): SalesSettingsResponse => ({
  leadPoolReturnDays: Number(s.leadPoolReturnDays),
  leadClaimLimit: Number(s.leadClaimLimit),
  birthdayReminderDays: Number(s.birthdayReminderDays),
  pipelineDefaultCurrency: String(s.pipelineDefaultCurrency),
  leadImportMaxRows: Number(s.leadImportMaxRows),
  customer360RecentItems: Number(s.customer360RecentItems),
  duplicateCheckRevealHiddenCandidates: s.duplicateCheckRevealHiddenCandidates === true,
  version: s.version,
  updatedAt: s.updatedAt.toISOString(),
});
