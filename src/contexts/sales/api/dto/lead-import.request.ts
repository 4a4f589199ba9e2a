import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MinLength } from 'class-validator';
import { toBoolean } from './common.js';

export const LEAD_CSV_EXAMPLE = 'company,firstName,lastName,email,phone,region,estimatedAmountMinor,currency\nGlobex Ltd,Hank,Scorpio,hank@globex.example,+1 415 555 0100,EMEA,2500000,EUR\n';

/** The JSON form of an import; a `text/csv` body arrives as `{ csv: <the body> }`. */
export class ImportLeadsRequest {
  @ApiProperty({ example: LEAD_CSV_EXAMPLE, description: 'The CSV file: a header row, then one lead per row (RFC 4180 quoting, UTF-8, optional BOM)' })
  @IsString() @MinLength(1) csv: string;
}

export class ImportLeadsQuery {
  @ApiPropertyOptional({ default: false, description: 'Only validate and report; create nothing' })
  @IsOptional() @Transform(toBoolean) @IsBoolean() dryRun?: boolean;
}
