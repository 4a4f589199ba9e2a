import { Module } from '@nestjs/common';
import { OpenApiTags } from '../../platform/http/openapi-tags.js';

/** Service bounded context (Postgres schema `service`). See DOMAIN.md. */
@OpenApiTags({ name: 'service', description: 'Assets, tickets, SLAs, knowledge base' })
@Module({})
export class ServiceModule {}
