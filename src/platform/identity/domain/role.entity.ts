import { Column, Entity, Index } from 'typeorm';
import { AggregateEntity } from '../../database/base.entity.js';
import type { DataScope } from './actor.js';

@Index('role_key_key', { synchronize: false })
@Index('role_created_at_idx', { synchronize: false })
@Entity({ schema: 'platform', name: 'role' })
export class Role extends AggregateEntity {
  @Column('text') key: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('text', { array: true }) permissions: string[];
  @Column('jsonb') dataScopes: Record<string, DataScope>;
  @Column('boolean') builtIn: boolean;
}
