import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApprovalsController } from './api/approvals.controller.js';
import { AutomationRulesController } from './api/automation-rules.controller.js';
import { DelegationsController } from './api/delegations.controller.js';
import { ProcessDefinitionsController } from './api/process-definitions.controller.js';
import { TasksController } from './api/tasks.controller.js';
import { ApprovalEngine } from './application/approval-engine.service.js';
import { RecallApprovalOnWithdrawn, StartApprovalOnRequested } from './application/approval-requests.handler.js';
import { ApprovalService } from './application/approval.service.js';
import { AutomationService } from './application/automation.service.js';
import { DelegationService } from './application/delegation.service.js';
import { ProcessDefinitionService } from './application/process-definition.service.js';
import { RunAutomationRulesOnEvent } from './application/run-automation-rules.handler.js';
import { StepTimeoutJob } from './application/step-timeout.job.js';
import { StepTimeouts } from './application/step-timeouts.service.js';
import { TaskService } from './application/task.service.js';
import { WorkflowReferences } from './application/workflow-references.js';
import { ApprovalHistoryEntry, ApprovalInstance, ApprovalStep, WorkflowTask } from './domain/approval-instance.entity.js';
import { AutomationExecution, AutomationRule } from './domain/automation-rule.entity.js';
import { Delegation } from './domain/delegation.entity.js';
import { ProcessDefinition, ProcessDefinitionVersion } from './domain/process-definition.entity.js';
import { OpenApiTags } from '../../platform/http/openapi-tags.js';

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

/**
 * Workflow bounded context (Postgres schema `workflow`): the approval engine behind the
 * approval protocol (public/approval-contract.ts), task inbox, delegations, and automation
 * rules. Knows no other context's tables. See DOMAIN.md "7. Workflow".
 */
@OpenApiTags({ name: 'workflow', description: 'Approvals, tasks, delegations, automation rules' })
@Module({
  imports: [TypeOrmModule.forFeature(WORKFLOW_ENTITIES)],
  controllers: [ProcessDefinitionsController, ApprovalsController, TasksController, DelegationsController, AutomationRulesController],
  providers: [
    ApprovalEngine,
    ProcessDefinitionService,
    ApprovalService,
    TaskService,
    DelegationService,
    AutomationService,
    StartApprovalOnRequested,
    RecallApprovalOnWithdrawn,
    RunAutomationRulesOnEvent,
    StepTimeoutJob,
    StepTimeouts,
    WorkflowReferences,
  ],
})
export class WorkflowModule {}
