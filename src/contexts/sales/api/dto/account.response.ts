import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import { RecordView } from '../../../../platform/http/record-view.js';
import { ACCOUNT_FLAGS, ACCOUNT_TIERS, ACCOUNT_TYPES, Account, LIFECYCLE_STAGES } from '../../domain/account.entity.js';
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

/** An account as the API shows it: its own fields (see {@link RecordView}). */
export const ACCOUNT_VIEW = new RecordView<Account, AccountResponse>(Account, {
  id: true,
  name: true,
  type: true,
  industry: true,
  tier: true,
  lifecycleStage: true,
  flags: true,
  ownerId: true,
  orgUnitId: true,
  parentAccountId: true,
  phone: true,
  email: true,
  website: true,
  address: true,
  anniversary: true,
  creditRating: true,
  creditLimitMinor: true,
  creditCurrency: true,
  externalId: true,
  customFields: true,
  version: true,
  createdAt: true,
  updatedAt: true,
});

export const toAccountResponse = (a: Account): AccountResponse => ACCOUNT_VIEW.toResponse(a);
