import { Module } from '@nestjs/common';

/** Service bounded context (Postgres schema `service`). See DOMAIN.md. */
@Module({})
export class ServiceModule {}
