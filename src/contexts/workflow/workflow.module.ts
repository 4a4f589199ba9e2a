import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApprovalHistoryEntry, ApprovalInstance, ApprovalStep, WorkflowTask } from './domain/approval-instance.entity.js';
import { AutomationExecution, AutomationRule } from './domain/automation-rule.entity.js';
import { Delegation } from './domain/delegation.entity.js';
import { ProcessDefinition, ProcessDefinitionVersion } from './domain/process-definition.entity.js';

export const WORKFLOW_ENTITIES = [
  ProcessDefinition,
  ProcessDefinitionVersion,
  ApprovalInstance,
  ApprovalStep,
  WorkflowTask,
  ApprovalHistoryEntry,
  Delegation,
  AutomationRule,
  AutomationExecution,
];

/** Workflow bounded context (Postgres schema `workflow`). See DOMAIN.md. */
@Module({
  imports: [TypeOrmModule.forFeature(WORKFLOW_ENTITIES)],
})
export class WorkflowModule {}
