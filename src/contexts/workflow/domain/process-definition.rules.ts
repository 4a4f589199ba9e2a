import { isUuid } from '../../../platform/database/ids.js';
import type { FieldError } from '../../../platform/errors/domain-error.js';
import { SUBJECT_FIELDS, conditionSpecificity, evaluateCondition, validateCondition, type Condition } from './condition.rules.js';

/** Who approves a step. Role and manager rules are relative to the requester. */
export type ApproverRule =
  | { type: 'user'; userId: string }
  | { type: 'role'; roleKey: string }
  | { type: 'manager' }
  | { type: 'manager-level'; levels: number }
  | { type: 'org-unit-head'; orgUnitId: string };

export const APPROVER_RULE_TYPES = ['user', 'role', 'manager', 'manager-level', 'org-unit-head'] as const;
export const STEP_MODES = ['any', 'all'] as const;
export type StepMode = (typeof STEP_MODES)[number];
export const TIMEOUT_ACTIONS = ['remind', 'escalate', 'auto-approve', 'auto-reject'] as const;
export type TimeoutAction = (typeof TIMEOUT_ACTIONS)[number];

export interface StepTimeout {
  /** ISO 8601 duration, e.g. `PT48H`, `P2D`. */
  after: string;
  action: TimeoutAction;
}

export interface StepDefinition {
  name: string;
  condition: Condition | null;
  approver: ApproverRule;
  mode: StepMode;
  timeout: StepTimeout | null;
}

export interface DefinitionContent {
  entryCriteria: Condition | null;
  steps: StepDefinition[];
}

export const MAX_STEPS = 20;
const ROLE_KEY = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parses an ISO 8601 duration; null when malformed or zero. */
export function parseIsoDuration(text: string): { years: number; months: number; ms: number } | null {
  const m = DURATION.exec(text);
  if (!m) return null;
  const [, y, mo, w, d, h, mi, s] = m.map((v) => (v === undefined ? 0 : Number(v)));
  const ms = (((w * 7 + d) * 24 + h) * 60 + mi) * 60_000 + Math.round(s * 1000);
  if (y === 0 && mo === 0 && ms === 0) return null;
  return { years: y, months: mo, ms };
}

/** `start` plus an ISO 8601 duration (calendar years/months in UTC, then the exact rest). */
export function addIsoDuration(start: Date, duration: string): Date {
  const parsed = parseIsoDuration(duration);
  if (!parsed) throw new Error(`Not an ISO 8601 duration: ${duration}`);
  const at = new Date(start.getTime());
  if (parsed.years || parsed.months) at.setUTCMonth(at.getUTCMonth() + parsed.years * 12 + parsed.months);
  return new Date(at.getTime() + parsed.ms);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateApproverRule(rule: unknown, at: string): FieldError[] {
  if (!isObject(rule) || typeof rule.type !== 'string' || !(APPROVER_RULE_TYPES as readonly string[]).includes(rule.type)) {
    return [{ field: `${at}.type`, message: `must be one of ${APPROVER_RULE_TYPES.join(', ')}` }];
  }
  const allowed: Record<string, string[]> = {
    user: ['type', 'userId'],
    role: ['type', 'roleKey'],
    manager: ['type'],
    'manager-level': ['type', 'levels'],
    'org-unit-head': ['type', 'orgUnitId'],
  };
  const errors: FieldError[] = [];
  const extra = Object.keys(rule).filter((k) => !allowed[rule.type as string].includes(k));
  if (extra.length) errors.push({ field: at, message: `unknown keys for a ${rule.type} approver: ${extra.join(', ')}` });
  if (rule.type === 'user' && !isUuid(rule.userId)) errors.push({ field: `${at}.userId`, message: 'must be a user id (uuid)' });
  if (rule.type === 'org-unit-head' && !isUuid(rule.orgUnitId)) errors.push({ field: `${at}.orgUnitId`, message: 'must be an org unit id (uuid)' });
  if (rule.type === 'role' && (typeof rule.roleKey !== 'string' || !ROLE_KEY.test(rule.roleKey))) errors.push({ field: `${at}.roleKey`, message: 'must be a role key such as director' });
  if (rule.type === 'manager-level' && !(Number.isInteger(rule.levels) && (rule.levels as number) >= 1 && (rule.levels as number) <= 10)) {
    errors.push({ field: `${at}.levels`, message: 'must be an integer from 1 to 10' });
  }
  return errors;
}

/**
 * Every problem of a definition's entry criteria and steps (shape of the outer request is
 * checked by the request DTO; this checks the parts that are free JSON).
 */
export function validateDefinitionContent(content: { entryCriteria?: unknown; steps?: unknown }): FieldError[] {
  const errors: FieldError[] = [];
  if (content.entryCriteria !== undefined && content.entryCriteria !== null) {
    errors.push(...validateCondition(content.entryCriteria, 'entryCriteria', SUBJECT_FIELDS));
  }
  if (!Array.isArray(content.steps) || content.steps.length === 0 || content.steps.length > MAX_STEPS) {
    return [...errors, { field: 'steps', message: `must have 1–${MAX_STEPS} steps` }];
  }
  content.steps.forEach((step: unknown, i) => {
    const at = `steps[${i}]`;
    if (!isObject(step)) {
      errors.push({ field: at, message: 'must be an object' });
      return;
    }
    if (step.condition !== undefined && step.condition !== null) errors.push(...validateCondition(step.condition, `${at}.condition`, SUBJECT_FIELDS));
    errors.push(...validateApproverRule(step.approver, `${at}.approver`));
    if (step.timeout !== undefined && step.timeout !== null) {
      const t = step.timeout;
      if (!isObject(t)) errors.push({ field: `${at}.timeout`, message: 'must be { after, action }' });
      else {
        if (typeof t.after !== 'string' || !parseIsoDuration(t.after)) errors.push({ field: `${at}.timeout.after`, message: 'must be a non-zero ISO 8601 duration such as PT48H or P2D' });
        if (typeof t.action !== 'string' || !(TIMEOUT_ACTIONS as readonly string[]).includes(t.action)) {
          errors.push({ field: `${at}.timeout.action`, message: `must be one of ${TIMEOUT_ACTIONS.join(', ')}` });
        }
      }
    }
  });
  return errors;
}

/** A definition version that may be chosen for a subject. */
export interface CandidateDefinition {
  definitionId: string;
  key: string;
  version: number;
  entryCriteria: Condition | null;
  createdAt: Date;
}

/**
 * The definition for a subject: among the candidates (active, same subject type, latest
 * version) whose entry criteria hold, the most specific (most leaf conditions); ties go to
 * the most recently created definition. None → null (the request is approved at once).
 */
export function selectDefinition<C extends CandidateDefinition>(candidates: C[], subject: unknown): C | null {
  let best: C | null = null;
  let bestScore = -1;
  for (const c of candidates) {
    if (!evaluateCondition(c.entryCriteria, subject)) continue;
    const score = conditionSpecificity(c.entryCriteria);
    if (score > bestScore || (score === bestScore && best && c.createdAt > best.createdAt)) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** Which steps apply to a subject: each step's condition evaluated once, at the start. */
export function planSteps(steps: StepDefinition[], subject: unknown): Array<{ index: number; step: StepDefinition; applies: boolean }> {
  return steps.map((step, index) => ({ index, step, applies: evaluateCondition(step.condition, subject) }));
}
