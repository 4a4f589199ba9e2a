/**
 * A sample scoped resource for the identity tests only (never part of the product): notes with
 * an owner and an account, listed and read through DataScopeService like every context does.
 */
import { Controller, Get, Module, type OnModuleInit, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Tx } from '../../src/platform/database/transaction';
import { NotFoundError } from '../../src/platform/errors/domain-error';
import { Endpoint } from '../../src/platform/http/endpoint.decorator';
import { PageQuery, paginate } from '../../src/platform/http/pagination';
import { CurrentActor, type Actor } from '../../src/platform/identity/domain/actor';
import { DataScopeService } from '../../src/platform/identity/application/data-scope';
import { RecordScopeRegistry } from '../../src/platform/identity/application/record-scope.registry';

export const NOTES_DDL = `
  CREATE SCHEMA IF NOT EXISTS scope_test;
  CREATE TABLE scope_test.note (id uuid PRIMARY KEY, title text NOT NULL, owner_id uuid, account_id uuid,
    created_at timestamptz(3) NOT NULL DEFAULT now());`;

// A sales record type reps hold every right on (commerce is not built yet, so nothing else registers it).
export const NOTE_RESOURCE = 'sales.quote';

@Entity({ schema: 'scope_test', name: 'note' })
export class Note {
  @PrimaryColumn('uuid') id: string;
  @Column() title: string;
  @Column('uuid', { nullable: true }) ownerId: string | null;
  @Column('uuid', { nullable: true }) accountId: string | null;
  @Column({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

@Controller('test/notes')
class NotesController {
  constructor(private readonly tx: Tx, private readonly scopes: DataScopeService) {}

  @Get()
  @Endpoint({ operationId: 'test_listNotes', summary: 'x', permission: `${NOTE_RESOURCE}:read` })
  async list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    const qb = this.tx.tx.getRepository(Note).createQueryBuilder('n');
    await this.scopes.apply(qb, actor, NOTE_RESOURCE, { owner: 'ownerId', account: 'accountId' });
    const page = await paginate(qb, { ...query, limit: 500 }, { sortable: { title: 'title' }, defaultSort: 'title' });
    return { items: page.items.map((n) => ({ id: n.id, title: n.title })), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Endpoint({ operationId: 'test_getNote', summary: 'x', permission: `${NOTE_RESOURCE}:read`, errors: [404] })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    const note = await this.tx.tx.getRepository(Note).findOneBy({ id });
    if (!note || !(await this.scopes.canSee(actor, NOTE_RESOURCE, note))) throw new NotFoundError(NOTE_RESOURCE, id);
    return { id: note.id, title: note.title };
  }
}

@Module({ imports: [TypeOrmModule.forFeature([Note])], controllers: [NotesController] })
export class ScopeSampleModule implements OnModuleInit {
  constructor(private readonly registry: RecordScopeRegistry) {}

  onModuleInit() {
    this.registry.register(NOTE_RESOURCE, { table: 'scope_test.note', ownerColumn: 'owner_id', accountColumn: 'account_id' });
  }
}
