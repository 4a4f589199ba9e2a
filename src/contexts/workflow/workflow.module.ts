import { Module } from '@nestjs/common';

/** Workflow bounded context (Postgres schema `workflow`). See DOMAIN.md. */
@Module({})
export class WorkflowModule {}
