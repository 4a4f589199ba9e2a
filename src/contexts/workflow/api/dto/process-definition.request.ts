import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { PageQuery } from '../../../../platform/http/pagination.js';
import type { Condition } from '../../domain/condition.rules.js';
import { MAX_STEPS, STEP_MODES, TIMEOUT_ACTIONS, type ApproverRule, type StepMode, type TimeoutAction } from '../../domain/process-definition.rules.js';

const CONDITION_DOC =
  'Condition (JSON rules, no code): a leaf `{ field, op, value }` with op eq/ne/gt/gte/lt/lte/in/exists, or a group `{ all: [...] }`, `{ any: [...] }`, `{ not: {...} }`. Fields: amountMinor, currency, subjectType, subjectCode, title, requesterId, requesterOrgUnitId, attributes.<name>.';
const SUBJECT_TYPE = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

export class StepTimeoutRequest {
  @ApiProperty({ example: 'PT48H', description: 'ISO 8601 duration after the step starts' })
  @IsString()
  @MaxLength(40)
  after: string;

  @ApiProperty({ enum: TIMEOUT_ACTIONS, enumName: 'StepTimeoutAction', example: 'escalate' })
  @IsIn(TIMEOUT_ACTIONS)
  action: TimeoutAction;
}

export class StepRequest {
  @ApiProperty({ example: 'Manager approval' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, description: `Step applies only when this holds. ${CONDITION_DOC}`, example: { field: 'attributes.discountPct', op: 'gt', value: 20 } })
  @IsOptional()
  @IsObject()
  condition?: Condition | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'Approver rule: `{ type: "user", userId }`, `{ type: "role", roleKey }` (in the requester’s org unit or the nearest ancestor), `{ type: "manager" }`, `{ type: "manager-level", levels }`, `{ type: "org-unit-head", orgUnitId }`. No self-approval: the requester and whoever submitted the request are never approvers of it — a role goes to the other holders (or the nearest ancestor unit where someone else holds it); a named user, manager or unit head who is the requester/submitter is replaced by the first manager above them who is not (task `via` gets `+up:N`); escalations and out-of-office delegations skip them too. Nobody found → the admins (except the requester), recorded in the history.',
    example: { type: 'manager' },
  })
  @IsObject()
  approver: ApproverRule;

  @ApiProperty({ enum: STEP_MODES, enumName: 'StepMode', example: 'any', description: 'any: the first response decides; all: unanimous, one rejection rejects' })
  @IsIn(STEP_MODES)
  mode: StepMode;

  @ApiPropertyOptional({ type: StepTimeoutRequest, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => StepTimeoutRequest)
  timeout?: StepTimeoutRequest | null;
}

export class UpdateProcessDefinitionRequest {
  @ApiProperty({ example: 'sales.quote', description: 'The subject type `<context>.<subject>` this definition approves' })
  @IsString()
  @Matches(SUBJECT_TYPE, { message: 'subjectType must look like <context>.<subject>' })
  @MaxLength(100)
  subjectType: string;

  @ApiProperty({ example: 'Quote discount approval' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ example: true, description: 'Inactive definitions are never chosen' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, description: `When the definition applies; the most specific match (most leaf conditions) wins. ${CONDITION_DOC}`, example: { field: 'attributes.discountPct', op: 'gt', value: 10 } })
  @IsOptional()
  @IsObject()
  entryCriteria?: Condition | null;

  @ApiProperty({ type: [StepRequest] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STEPS)
  @ValidateNested({ each: true })
  @Type(() => StepRequest)
  steps: StepRequest[];
}

export class CreateProcessDefinitionRequest extends UpdateProcessDefinitionRequest {
  @ApiProperty({ example: 'quote-discount', description: 'Stable unique key' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,79}$/, { message: 'key must be kebab-case, at most 80 characters' })
  key: string;
}

export class ProcessDefinitionListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'sales.quote' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  subjectType?: string;
}

export class ProcessDefinitionGetQuery {
  @ApiPropertyOptional({ example: 1, description: 'A past version (default: the latest)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}

export class SimulateRequest {
  @ApiProperty({ example: 'sales.quote' })
  @IsString()
  @MaxLength(100)
  subjectType: string;

  @ApiProperty({ example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' })
  @IsUUID()
  requesterId: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, example: null, description: 'Default: the requester’s own unit' })
  @IsOptional()
  @IsUUID()
  requesterOrgUnitId?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 1250000 })
  @IsOptional()
  @IsInt()
  amountMinor?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'EUR' })
  @IsOptional()
  @IsString()
  @Length(3, 3)
  currency?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { discountPct: 25 } })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, string | number | boolean | null>;
}
