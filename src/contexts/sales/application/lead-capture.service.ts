import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { DomainError, NotFoundError } from '../../../platform/errors/domain-error.js';
import { paginate, type Page, type PageQuery } from '../../../platform/http/pagination.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { References } from '../../../platform/identity/application/references.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import { LeadCaptureForm } from '../domain/lead-capture-form.entity.js';
import type { Lead } from '../domain/lead.entity.js';
import { snapshot } from './changes.js';
import { LeadService, type LeadInput } from './lead.service.js';
import { CAMPAIGN } from './opportunity.service.js';

export interface CaptureFormInput {
  name: string;
  ratePerMinute?: number;
  productInterest?: string | null;
  region?: string | null;
  campaignId?: string | null;
}

export type CapturedLead = Pick<LeadInput, 'company' | 'firstName' | 'lastName' | 'title' | 'email' | 'phone' | 'industry' | 'region' | 'productInterest' | 'description'>;

const WINDOW_SECONDS = 60;

/** Web forms posting leads to the public capture endpoint, with a per-client rate limit. */
@Injectable()
export class LeadCaptureService {
  constructor(
    private readonly tx: Tx,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly leads: LeadService,
    private readonly references: References,
  ) {}

  @Transactional()
  async createForm(actor: Actor, input: CaptureFormInput): Promise<LeadCaptureForm> {
    // The form stamps its campaign on every lead it captures: the caller must be able to name it.
    if (input.campaignId) await this.references.assertVisible(actor, CAMPAIGN, input.campaignId, 'campaignId');
    const repo = this.tx.tx.getRepository(LeadCaptureForm);
    const form = repo.create({
      name: input.name,
      formKey: randomBytes(18).toString('base64url'),
      active: true,
      ratePerMinute: input.ratePerMinute ?? 10,
      productInterest: input.productInterest ?? null,
      region: input.region ?? null,
      campaignId: input.campaignId ?? null,
      createdBy: actor.userId,
    });
    await repo.insert(form);
    const created = await repo.findOneByOrFail({ id: form.id });
    await this.audit.record({ actor, recordType: 'sales.lead-capture-form', recordId: created.id, action: 'create', after: snapshot(created) });
    return created;
  }

  listForms(query: PageQuery): Promise<Page<LeadCaptureForm>> {
    const qb = this.tx.tx.getRepository(LeadCaptureForm).createQueryBuilder('f');
    return paginate(qb, query, { sortable: { createdAt: 'createdAt' }, defaultSort: '-createdAt' });
  }

  /**
   * A submission from a web form: unknown or inactive form → 404; over the form's per-client
   * rate (fixed one-minute windows counted in `sales.lead_capture_hit`) → 429 with
   * `retryAfterSeconds`; else a lead with source `web-form`, assigned by the rules or left in the pool.
   */
  @Transactional()
  async capture(formKey: string, client: string, input: CapturedLead): Promise<Lead> {
    const form = await this.tx.tx.getRepository(LeadCaptureForm).findOneBy({ formKey, active: true });
    if (!form) throw new NotFoundError('Lead capture form');
    const now = this.clock.now();
    const windowStart = new Date(Math.floor(now.getTime() / (WINDOW_SECONDS * 1000)) * WINDOW_SECONDS * 1000);
    const [{ hits }]: Array<{ hits: number }> = await this.tx.tx.query(
      `INSERT INTO sales.lead_capture_hit (form_id, client, window_start, hits) VALUES ($1, $2, $3, 1)
       ON CONFLICT (form_id, client, window_start) DO UPDATE SET hits = sales.lead_capture_hit.hits + 1
       RETURNING hits`,
      [form.id, client, windowStart],
    );
    if (hits > form.ratePerMinute) {
      const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_SECONDS * 1000 - now.getTime()) / 1000));
      throw new DomainError('rate-limited', 'sales.lead-capture.rate-limited', `Too many submissions from this client; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
    return this.leads.create(null, {
      ...input,
      source: 'web-form',
      productInterest: input.productInterest ?? form.productInterest,
      region: input.region ?? form.region,
      campaignId: form.campaignId,
      captureFormId: form.id,
    });
  }

  /** Drops rate-limit windows older than an hour (called by the daily sales job). */
  async pruneHits(): Promise<void> {
    await this.tx.tx.query(`DELETE FROM sales.lead_capture_hit WHERE window_start < $1`, [new Date(this.clock.now().getTime() - 3_600_000)]);
  }
}
