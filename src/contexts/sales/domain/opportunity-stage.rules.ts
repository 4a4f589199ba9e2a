import { DomainError, IllegalTransitionError } from '../../../platform/errors/domain-error.js';
import { assertAllowed } from '../../../platform/errors/transitions.js';
import type { StageDefinition } from './sales-method.rules.js';

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

export type StageView = Pick<StageDefinition, 'key' | 'order' | 'probability' | 'terminal'>;

export interface MethodView {
  strictOrder: boolean;
  stages: readonly StageView[];
}

const byOrder = (stages: readonly StageView[]) => [...stages].sort((a, b) => a.order - b.order);

export const openStages = (method: MethodView) => byOrder(method.stages).filter((s) => s.terminal === null);

export function stageOf(method: MethodView, key: string): StageView {
  const stage = method.stages.find((s) => s.key === key);
  if (!stage) {
    throw new DomainError('rule-violated', 'sales.opportunity.unknown-stage', `The sales method has no stage "${key}"`, {
      stageKey: key,
      stages: byOrder(method.stages).map((s) => s.key),
    });
  }
  return stage;
}

/** Where a new opportunity starts: the first open stage. */
export const firstStage = (method: MethodView): StageView => openStages(method)[0];

/**
 * Which open stages an open opportunity may move to from `fromKey` with POST …/stage: any other
 * open stage, or — when the method is strict — any earlier one and only the next later one.
 * Terminal stages are reached only through win/lose (so a reason is always recorded).
 */
export function allowedStageMoves(method: MethodView, fromKey: string): string[] {
  const open = openStages(method);
  const index = open.findIndex((s) => s.key === fromKey);
  return open.filter((s, i) => s.key !== fromKey && (!method.strictOrder || index < 0 || i <= index + 1)).map((s) => s.key);
}

/** Closed opportunities are read-only until reopened: 409 `sales.opportunity.closed` (a lost one may be reopened). */
export function assertOpen(status: OpportunityStatus, to: string): void {
  if (status !== 'open') throw new IllegalTransitionError('sales.opportunity.closed', status, to, status === 'lost' ? ['reopen'] : []);
}

/** Checks POST …/stage and returns the target stage. */
export function assertStageMove(method: MethodView, status: OpportunityStatus, fromKey: string, toKey: string): StageView {
  assertOpen(status, toKey);
  const target = stageOf(method, toKey);
  if (target.terminal) {
    throw new DomainError('conflict', 'sales.opportunity.terminal-stage-needs-outcome', `Stage "${toKey}" is ${target.terminal}: use POST …/${target.terminal === 'won' ? 'win' : 'lose'}`);
  }
  const allowed = allowedStageMoves(method, fromKey);
  assertAllowed(allowed, 'sales.opportunity.illegal-stage-transition', fromKey, toKey);
  return target;
}

/**
 * Win/lose from the open stage `fromKey`: the opportunity must be open; returns the terminal
 * stage (the first by order). A strict method wins only from its last open stage — winning
 * earlier would skip the stages in between, which a stage move may not either (409
 * `sales.opportunity.illegal-stage-transition`, `allowed` = the stage moves open from here).
 * Losing is possible from any open stage.
 */
export function assertClose(method: MethodView, status: OpportunityStatus, outcome: 'won' | 'lost', fromKey: string): StageView {
  assertOpen(status, outcome);
  const terminal = byOrder(method.stages).find((s) => s.terminal === outcome)!;
  if (outcome === 'won' && method.strictOrder) {
    const open = openStages(method);
    const index = open.findIndex((s) => s.key === fromKey);
    if (index >= 0 && index < open.length - 1) {
      throw new IllegalTransitionError('sales.opportunity.illegal-stage-transition', fromKey, terminal.key, allowedStageMoves(method, fromKey));
    }
  }
  return terminal;
}

/** Reopen: only a lost opportunity, back to `toKey` or the open stage it was lost in (else the first). */
export function assertReopen(method: MethodView, status: OpportunityStatus, lastOpenKey: string | null, toKey?: string): StageView {
  if (status !== 'lost') throw new IllegalTransitionError('sales.opportunity.not-lost', status, 'open', status === 'open' ? ['win', 'lose'] : []);
  const key = toKey ?? (lastOpenKey && method.stages.some((s) => s.key === lastOpenKey && !s.terminal) ? lastOpenKey : firstStage(method).key);
  const stage = stageOf(method, key);
  if (stage.terminal) throw new IllegalTransitionError('sales.opportunity.illegal-stage-transition', 'lost', key, openStages(method).map((s) => s.key));
  return stage;
}

/** Days between two instants, rounded to 2 decimals. */
export const daysBetween = (from: Date, to: Date) => Math.round(((to.getTime() - from.getTime()) / 86_400_000) * 100) / 100;

/** Probability-weighted amount in minor units (rounded half up). */
export const weightedAmount = (amountMinor: number, probability: number) => Math.round((amountMinor * probability) / 100);
