import { Module } from '@nestjs/common';

/** CallCenter bounded context (Postgres schema `call_center`). See DOMAIN.md. */
@Module({})
export class CallCenterModule {}
