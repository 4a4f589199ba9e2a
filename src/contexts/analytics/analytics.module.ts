import { Module } from '@nestjs/common';
import { OpenApiTags } from '../../platform/http/openapi-tags.js';

/** Analytics bounded context (Postgres schema `analytics`). See DOMAIN.md. */
@OpenApiTags({ name: 'analytics', description: 'Read models and reports' })
@Module({})
export class AnalyticsModule {}
