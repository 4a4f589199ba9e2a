import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../http/pagination.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from './event-delivery.entity.js';

export class EventDeliveryListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, enumName: 'EventDeliveryStatus', example: 'parked' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ example: 'finance.open-cost-centre' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  consumer?: string;

  @ApiPropertyOptional({ example: 'sales.opportunity.won' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  eventType?: string;
}
