/**
 * A throw-away resource used only by the platform convention tests (never part of the
 * product): it exercises validation, pagination, ETag/If-Match and Idempotency-Key through the
 * same helpers every context uses.
 */
import { Body, Controller, Get, Module, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { Column, Entity, type Repository } from 'typeorm';
import { AggregateEntity } from '../../src/platform/database/base.entity';
import { Transactional, Tx } from '../../src/platform/database/transaction';
import { updateVersioned } from '../../src/platform/database/versioned-update';
import { NotFoundError } from '../../src/platform/errors/domain-error';
import { Endpoint } from '../../src/platform/http/endpoint.decorator';
import { IfMatch } from '../../src/platform/http/etag';
import { PageQuery, mapPage, paginate } from '../../src/platform/http/pagination';

export const WIDGETS_DDL = `
  CREATE SCHEMA IF NOT EXISTS conventions_test;
  CREATE TABLE conventions_test.widget (
    id uuid PRIMARY KEY, name text NOT NULL, quantity integer NOT NULL, color text NOT NULL,
    created_at timestamptz(3) NOT NULL DEFAULT now(), updated_at timestamptz(3) NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1);
  CREATE INDEX ON conventions_test.widget (name, id);`;

@Entity({ schema: 'conventions_test', name: 'widget' })
export class Widget extends AggregateEntity {
  @Column() name: string;
  @Column('int') quantity: number;
  @Column() color: string;
}

class Dimensions {
  @ApiProperty() @IsInt() @Min(1) width: number;
  @ApiProperty() @IsInt() @Min(1) height: number;
}

class CreateWidgetRequest {
  @ApiProperty() @IsString() @MaxLength(20) name: string;
  @ApiProperty() @IsInt() @Min(0) quantity: number;
  @ApiProperty() @IsIn(['red', 'blue']) color: string;
  @ApiProperty({ required: false }) @IsOptional() @IsArray() @ArrayMaxSize(3) @IsString({ each: true }) tags?: string[];
  @ApiProperty({ required: false }) @IsOptional() @ValidateNested() @Type(() => Dimensions) size?: Dimensions;
}

class UpdateWidgetRequest {
  @ApiProperty({ required: false }) @IsOptional() @IsString() @MaxLength(20) name?: string;
  @ApiProperty({ required: false }) @IsOptional() @IsInt() @Min(0) quantity?: number;
}

class WidgetListQuery extends PageQuery {
  @IsOptional() @IsIn(['red', 'blue']) color?: string;
}

const toResponse = (w: Widget) => ({
  id: w.id, name: w.name, quantity: w.quantity, color: w.color, version: w.version,
  createdAt: w.createdAt.toISOString(), updatedAt: w.updatedAt.toISOString(),
});

@Controller('test/widgets')
class WidgetsController {
  constructor(@InjectRepository(Widget) private readonly repo: Repository<Widget>, private readonly tx: Tx) {}

  @Post()
  @Endpoint({ operationId: 'test_createWidget', summary: 'x', public: true, idempotent: true })
  @Transactional()
  async create(@Body() body: CreateWidgetRequest) {
    const repo = this.tx.tx.getRepository(Widget);
    const widget = await repo.save(repo.create({ name: body.name, quantity: body.quantity, color: body.color }));
    return toResponse(widget);
  }

  @Get()
  @Endpoint({ operationId: 'test_listWidgets', summary: 'x', public: true })
  async list(@Query() query: WidgetListQuery) {
    const qb = this.repo.createQueryBuilder('w');
    if (query.color) qb.andWhere('w.color = :color', { color: query.color });
    const page = await paginate(qb, query, { sortable: { name: 'name', createdAt: 'createdAt', quantity: 'quantity' }, defaultSort: 'createdAt' });
    return mapPage(page, toResponse);
  }

  @Get('boom')
  @Endpoint({ operationId: 'test_boom', summary: 'x', public: true })
  async boom() {
    await this.repo.query('SELECT * FROM no_such_table_secret');
  }

  @Get(':id')
  @Endpoint({ operationId: 'test_getWidget', summary: 'x', public: true })
  async get(@Param('id', ParseUUIDPipe) id: string) {
    const widget = await this.repo.findOneBy({ id });
    if (!widget) throw new NotFoundError('Widget', id);
    return toResponse(widget);
  }

  @Patch(':id')
  @Endpoint({ operationId: 'test_updateWidget', summary: 'x', public: true, ifMatch: true })
  @Transactional()
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateWidgetRequest, @IfMatch() version?: number) {
    return toResponse(await updateVersioned(this.tx.tx, Widget, 'Widget', id, version, body));
  }
}

@Controller('test/closed')
class ClosedController {
  @Get()
  open() {
    return { leaked: true };
  }
}

@Module({ imports: [TypeOrmModule.forFeature([Widget])], controllers: [WidgetsController, ClosedController] })
export class ConventionsTestModule {}
