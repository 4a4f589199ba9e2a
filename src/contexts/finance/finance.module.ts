import { Module } from '@nestjs/common';

/** Finance bounded context (Postgres schema `finance`). See DOMAIN.md. */
@Module({})
export class FinanceModule {}
