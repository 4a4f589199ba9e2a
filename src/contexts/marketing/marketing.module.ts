import { Module } from '@nestjs/common';
import { OpenApiTags } from '../../platform/http/openapi-tags.js';

/** Marketing bounded context (Postgres schema `marketing`). See DOMAIN.md. */
@OpenApiTags({ name: 'marketing', description: 'Campaigns, segments, responses' })
@Module({})
export class MarketingModule {}
