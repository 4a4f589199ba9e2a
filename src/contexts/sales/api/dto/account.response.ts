import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import { ACCOUNT_FLAGS, ACCOUNT_TIERS, ACCOUNT_TYPES, LIFECYCLE_STAGES, type Account } from '../../domain/account.entity.js';
import { AddressDto, CUSTOM_FIELDS_SCHEMA } from './common.js';

export class AccountResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Acme GmbH' }) name: string;
  @ApiProperty({ enum: ACCOUNT_TYPES, enumName: 'AccountType' }) type: string;
  @ApiProperty({ type: String, nullable: true, example: 'Retail' }) industry: string | null;
  @ApiProperty({ enum: ACCOUNT_TIERS, enumName: 'AccountTier', nullable: true }) tier: string | null;
  @ApiProperty({ enum: LIFECYCLE_STAGES, enumName: 'LifecycleStage' }) lifecycleStage: string;
  @ApiProperty({ enum: ACCOUNT_FLAGS, enumName: 'AccountFlag', isArray: true }) flags: string[];
  @ApiProperty({ format: 'uuid' }) ownerId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) orgUnitId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parentAccountId: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) website: string | null;
  @ApiProperty({ type: AddressDto, nullable: true }) address: AddressDto | null;
  @ApiProperty({ type: String, nullable: true, example: '2010-04-01' }) anniversary: string | null;
  @ApiProperty({ type: String, nullable: true }) creditRating: string | null;
  @ApiProperty({ type: Number, nullable: true }) creditLimitMinor: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'EUR' }) creditCurrency: string | null;
  @ApiProperty({ type: String, nullable: true }) externalId: string | null;
  @ApiProperty(CUSTOM_FIELDS_SCHEMA) customFields: Record<string, unknown>;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class AccountPage extends PageMetaDto {
  @ApiProperty({ type: [AccountResponse] }) items: AccountResponse[];
}

export const toAccountResponse = (a: Account): AccountResponse => ({
  id: a.id,
  name: a.name,
  type: a.type,
  industry: a.industry,
  tier: a.tier,
  lifecycleStage: a.lifecycleStage,
  flags: a.flags,
  ownerId: a.ownerId,
  orgUnitId: a.orgUnitId,
  parentAccountId: a.parentAccountId,
  phone: a.phone,
  email: a.email,
  website: a.website,
  address: a.address,
  anniversary: a.anniversary,
  creditRating: a.creditRating,
  creditLimitMinor: a.creditLimitMinor,
  creditCurrency: a.creditCurrency,
  externalId: a.externalId,
  customFields: a.customFields,
  version: a.version,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});
