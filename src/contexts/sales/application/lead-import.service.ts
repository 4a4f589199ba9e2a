import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { CsvError, parse } from 'csv-parse/sync';
import { Transactional } from '../../../platform/database/transaction.js';
import { DomainError } from '../../../platform/errors/domain-error.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
// The rows are checked with POST /leads' own request class, so both follow one rule set.
import { CreateLeadRequest } from '../api/dto/lead.request.js';
import { emailKey } from '../domain/duplicate.rules.js';
import { mapHeader, rowToLeadBody } from '../domain/lead-import.rules.js';
import { present } from './changes.js';
import { LeadService } from './lead.service.js';
import { CAMPAIGN } from './opportunity.service.js';
import { SalesAccess } from './sales-access.js';
import { SALES_SETTINGS, SalesSettings } from './sales-settings.js';

export interface RowError {
  /** The record's number in the file; the header is row 1. */
  row: number;
  field: string;
  message: string;
}

export interface LeadImportResult {
  dryRun: boolean;
  /** Data rows in the file. */
  total: number;
  /** Rows that passed validation. */
  valid: number;
  /** Leads created (0 on a dry run). */
  created: number;
  failed: number;
  /** The first {@link MAX_REPORTED_ERRORS} row errors, in file order. */
  errors: RowError[];
  /** Every row error, also those beyond the reported ones. */
  errorCount: number;
  /** The created leads' ids, in file order. */
  leadIds: string[];
}

/** Columns one import takes (the known fields and custom fields fit with room to spare). */
export const MAX_IMPORT_COLUMNS = 200;
/** Row errors an answer lists; `errorCount` counts them all. */
export const MAX_REPORTED_ERRORS = 1000;

const flatten = (errors: ValidationError[], prefix = ''): Array<{ field: string; message: string }> =>
  errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    return Object.values(e.constraints ?? {}).map((message) => ({ field, message })).concat(flatten(e.children ?? [], field));
  });

/**
 * Lead import from a CSV file (purchased lists). Every row is checked with the rules of
 * POST /leads (the same DTO), plus: e-mail unique within the file, the owner and the campaign
 * (if columns name them) checked as POST /leads checks them (unknown = out of scope). A dry run only reports. Otherwise the valid rows
 * become leads in one transaction through {@link LeadService.create} (assignment rules,
 * audit, `sales.lead.created` events, pool-return timers); invalid rows are reported.
 */
@Injectable()
export class LeadImportService {
  constructor(private readonly leads: LeadService, private readonly access: SalesAccess, private readonly settings: SalesSettings) {}

  @Transactional()
  async import(actor: Actor, csv: string, dryRun: boolean): Promise<LeadImportResult> {
    // A file with thousands of columns is refused before the CSV parser reads it (its time
    // grows faster than the width of a record).
    const wide = firstRecordWiderThan(csv, MAX_IMPORT_COLUMNS);
    if (wide) {
      const where = wide === 1 ? 'csv.header' : `csv.row[${wide}]`;
      throw new DomainError('invalid', 'validation-failed', `The CSV has a record with more than ${MAX_IMPORT_COLUMNS} columns (record ${wide})`, { limit: MAX_IMPORT_COLUMNS }, [
        { field: where, message: `has more than ${MAX_IMPORT_COLUMNS} columns` },
      ]);
    }
    const [header, ...rows] = this.parse(csv);
    if (!header) throw csvProblem('the file is empty: it needs a header row and at least one data row');
    const { columns, problems } = mapHeader(header);
    if (problems.length) {
      throw new DomainError('invalid', 'validation-failed', `The CSV header has ${problems.length} problem${problems.length === 1 ? '' : 's'}`, {}, problems.map((p) => ({
        field: p.column ? `csv.header[${p.column}]` : 'csv.header',
        message: p.message,
      })));
    }
    const limit = Number(await this.settings.get<number>(SALES_SETTINGS.leadImportMaxRows));
    if (rows.length > limit) {
      throw new DomainError('rule-violated', 'sales.lead-import.too-many-rows', `The file has ${rows.length} data rows; one import takes at most ${limit} (setting leadImportMaxRows)`, {
        rows: rows.length,
        limit,
      });
    }

    const errors: RowError[] = [];
    let errorCount = 0;
    const valid: Array<{ row: number; lead: CreateLeadRequest }> = [];
    const emails = new Map<string, number>();
    /** The ids rows refer to (owner, campaign), each checked once: the problem, or null. */
    const references = new Map<string, string | null>();
    for (const [i, cells] of rows.entries()) {
      const row = i + 2;
      const lead = plainToInstance(CreateLeadRequest, rowToLeadBody(cells, columns));
      const rowErrors = flatten(await validate(lead, { whitelist: true, forbidNonWhitelisted: true })).map((e) => ({ row, ...e }));
      const key = emailKey(lead.email);
      if (key && emails.has(key)) rowErrors.push({ row, field: 'email', message: `duplicate of row ${emails.get(key)} in this file` });
      else if (key) emails.set(key, row);
      if (!rowErrors.length && lead.ownerId) {
        const key = `ownerId:${lead.ownerId}`;
        if (!references.has(key)) references.set(key, await this.problem(() => this.access.resolveOwner(actor, 'lead', lead.ownerId)));
        const problem = references.get(key);
        if (problem) rowErrors.push({ row, field: 'ownerId', message: problem });
      }
      if (!rowErrors.length && lead.campaignId) {
        const key = `campaignId:${lead.campaignId}`;
        if (!references.has(key)) references.set(key, await this.problem(() => this.access.assertForeign(actor, CAMPAIGN, lead.campaignId!, 'campaignId')));
        const problem = references.get(key);
        if (problem) rowErrors.push({ row, field: 'campaignId', message: problem });
      }
      if (rowErrors.length) {
        errorCount += rowErrors.length;
        errors.push(...rowErrors.slice(0, Math.max(0, MAX_REPORTED_ERRORS - errors.length)));
      } else valid.push({ row, lead });
    }

    const leadIds: string[] = [];
    if (!dryRun) {
      for (const { lead } of valid) leadIds.push((await this.leads.create(actor, { ...present(lead), lastName: lead.lastName, source: lead.source ?? 'import' })).id);
    }
    return { dryRun, total: rows.length, valid: valid.length, created: leadIds.length, failed: rows.length - valid.length, errors, errorCount, leadIds };
  }

  private parse(csv: string): string[][] {
    try {
      return parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
    } catch (error) {
      if (error instanceof CsvError) throw csvProblem(error.message);
      throw error;
    }
  }

  /** Why a row's reference is refused (the check's refusal detail), or null when it is fine. */
  private async problem(check: () => Promise<unknown>): Promise<string | null> {
    try {
      await check();
      return null;
    } catch (error) {
      if (error instanceof DomainError) return error.detail;
      throw error;
    }
  }
}

/**
 * The number (1 = the header) of the first record of a CSV text with more than `limit` fields
 * (commas outside quotes), or 0 when there is none; empty lines are not records.
 */
export function firstRecordWiderThan(csv: string, limit: number): number {
  let record = 0;
  let fields = 0;
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    if (quoted) continue;
    if (c === 0x0a || c === 0x0d) {
      fields = 0;
      continue;
    }
    if (fields === 0) {
      fields = 1;
      record++;
    }
    if (c === 0x2c && ++fields > limit) return record;
  }
  return 0;
}

const csvProblem = (message: string) =>
  new DomainError('invalid', 'validation-failed', `The CSV cannot be read: ${message}`, {}, [{ field: 'csv', message }]);
