import { Module } from '@nestjs/common';

/** Analytics bounded context (Postgres schema `analytics`). See DOMAIN.md. */
@Module({})
export class AnalyticsModule {}
