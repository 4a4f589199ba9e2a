import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../http/pagination.js';

export class AuditEntryQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'sales.account', description: 'Record type, `<context>.<resource>`' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/)
  @MaxLength(100)
  recordType?: string;

  @ApiPropertyOptional({ example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  recordId?: string;

  @ApiPropertyOptional({ description: 'User or API key id', example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ description: 'From this instant (inclusive)', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Before this instant (exclusive)', example: '2026-02-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
