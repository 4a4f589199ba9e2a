import { Module } from '@nestjs/common';

/** Marketing bounded context (Postgres schema `marketing`). See DOMAIN.md. */
@Module({})
export class MarketingModule {}
