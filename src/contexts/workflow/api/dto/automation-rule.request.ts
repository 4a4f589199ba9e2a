import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { PageQuery } from '../../../../platform/http/pagination.js';
import type { AutomationAction } from '../../domain/automation.rules.js';
import type { Condition } from '../../domain/condition.rules.js';

const ACTION_DOC =
  'One of `{ type: "create-task", title, assignee: { type: user, userId } | { type: role, roleKey } | { type: owner, field }, dueIn? }`, `{ type: "notify", recipients: <same as assignee>, message }`, `{ type: "command", command: "opportunity-requested", payload: { <field>: { field: "<payload path>" } | { value: <scalar> } } }` (publishes `workflow.automation.<command>` with `sourceEventId`).';

export class CreateAutomationRuleRequest {
  @ApiProperty({ example: 'Large transaction → opportunity' }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ example: 'finance.transaction.recorded', description: 'The event type that triggers the rule' }) @IsString() @MaxLength(150) eventType: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, description: 'Condition on the event payload (same JSON language as process definitions; any payload path)', example: { field: 'amountMinor', op: 'gt', value: 1000000 } })
  @IsOptional()
  @IsObject()
  condition?: Condition | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: ACTION_DOC,
    example: { type: 'command', command: 'opportunity-requested', payload: { accountId: { field: 'accountId' }, name: { value: 'Large transaction' }, amountMinor: { field: 'amountMinor' }, currency: { field: 'currency' }, ownerId: { field: 'ownerId' } } },
  })
  @IsObject()
  action: AutomationAction;
  @ApiPropertyOptional({ example: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

export class UpdateAutomationRuleRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(150) eventType?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true }) @IsOptional() @IsObject() condition?: Condition | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: ACTION_DOC }) @IsOptional() @IsObject() action?: AutomationAction;
  @ApiPropertyOptional({ example: false }) @IsOptional() @IsBoolean() enabled?: boolean;
}

export class AutomationRuleListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'finance.transaction.recorded' }) @IsOptional() @IsString() @MaxLength(150) eventType?: string;
  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  enabled?: boolean;
}
