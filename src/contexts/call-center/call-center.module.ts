import { Module } from '@nestjs/common';
import { OpenApiTags } from '../../platform/http/openapi-tags.js';

/** CallCenter bounded context (Postgres schema `call_center`). See DOMAIN.md. */
@OpenApiTags({ name: 'call-center', description: 'Agents, queues, calls, screen pop' })
@Module({})
export class CallCenterModule {}
