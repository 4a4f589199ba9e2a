import { Injectable } from '@nestjs/common';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { assertVersion } from '../../../platform/database/versioned-update.js';
import { NotFoundError } from '../../../platform/errors/domain-error.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { AutoOpenRule } from '../domain/auto-open-rule.entity.js';

export interface AutoOpenRuleData {
  enabled: boolean;
  defaultCapMinor: number;
  warningLinePct: number;
  defaultCurrency: string;
}

/** The settings that decide whether another context's `*.created` event opens a cost centre, and with which defaults. */
@Injectable()
export class AutoOpenRuleService {
  constructor(private readonly tx: Tx, private readonly audit: AuditLog) {}

  list(): Promise<AutoOpenRule[]> {
    return this.tx.tx.getRepository(AutoOpenRule).find({ order: { subjectType: 'ASC' } });
  }

  find(subjectType: string): Promise<AutoOpenRule | null> {
    return this.tx.tx.getRepository(AutoOpenRule).findOneBy({ subjectType });
  }

  @Transactional()
  async put(actor: Actor, subjectType: string, expectedVersion: number | undefined, data: AutoOpenRuleData): Promise<AutoOpenRule> {
    const repo = this.tx.tx.getRepository(AutoOpenRule);
    const rule = await repo.findOne({ where: { subjectType }, lock: { mode: 'pessimistic_write' } });
    if (!rule) throw new NotFoundError('Auto-open rule', subjectType);
    assertVersion(expectedVersion, rule.version);
    const before = { enabled: rule.enabled, defaultCapMinor: rule.defaultCapMinor, warningLinePct: rule.warningLinePct, defaultCurrency: rule.defaultCurrency };
    await repo.createQueryBuilder().update().set({ ...data, version: () => 'version + 1', updatedAt: () => 'now()' }).where('subject_type = :subjectType', { subjectType }).execute();
    await this.audit.record({ actor, recordType: 'finance.auto-open-rule', recordId: subjectType, action: 'update', before, after: { ...data } });
    return repo.findOneByOrFail({ subjectType });
  }
}
