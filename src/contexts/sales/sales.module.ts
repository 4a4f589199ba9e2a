import { Module } from '@nestjs/common';

/** Sales bounded context (Postgres schema `sales`). See DOMAIN.md. */
@Module({})
export class SalesModule {}
