import { ApiProperty } from '@nestjs/swagger';

export class LeadImportRowError {
  @ApiProperty({ example: 3, description: 'Record number in the file (the header is row 1)' }) row: number;
  @ApiProperty({ example: 'email', description: 'Lead field (API name) that failed' }) field: string;
  @ApiProperty({ example: 'email must be an email' }) message: string;
}

export class LeadImportResponse {
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ example: 3, description: 'Data rows in the file' }) total: number;
  @ApiProperty({ example: 2, description: 'Rows that passed validation' }) valid: number;
  @ApiProperty({ example: 2, description: 'Leads created (0 on a dry run)' }) created: number;
  @ApiProperty({ example: 1 }) failed: number;
  @ApiProperty({ type: [LeadImportRowError], description: 'The first 1,000 row errors, in file order' }) errors: LeadImportRowError[];
  @ApiProperty({ example: 1, description: 'Every row error, also those beyond the listed ones' }) errorCount: number;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Created leads in file order' }) leadIds: string[];
}
