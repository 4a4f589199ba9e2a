import { isUuid } from '../../../platform/database/ids.js';
import type { FieldError } from '../../../platform/errors/domain-error.js';
import { parseIsoDuration } from './process-definition.rules.js';
import { readPath, type Scalar } from './condition.rules.js';

/** Whom an automation action addresses: a user, the holders of a role, or the user id in a payload field. */
export type AutomationTarget = { type: 'user'; userId: string } | { type: 'role'; roleKey: string } | { type: 'owner'; field: string };

/** A command payload value: copied from the event payload, or a constant. */
export type ValueSource = { field: string } | { value: Scalar };

export type AutomationAction =
  | { type: 'create-task'; title: string; assignee: AutomationTarget; dueIn?: string | null }
  | { type: 'notify'; recipients: AutomationTarget; message: string }
  | { type: 'command'; command: string; payload: Record<string, ValueSource> };

export const AUTOMATION_ACTION_TYPES = ['create-task', 'notify', 'command'] as const;

/** Commands other contexts consume, with the payload fields they need. */
export const KNOWN_COMMANDS: Record<string, string[]> = {
  'opportunity-requested': ['accountId', 'name', 'amountMinor', 'currency', 'ownerId'],
};

/** Event types automation does not react to (its own output), so rules cannot loop. */
export const isAutomationOutput = (eventType: string) => eventType.startsWith('workflow.automation.');

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,5}$/;
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const FIELD_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** Event types a rule may listen to: `<context>.<aggregate>.<event>` (kebab-case segments). */
export const EVENT_TYPE = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

function validateTarget(target: unknown, at: string): FieldError[] {
  if (!isObject(target)) return [{ field: at, message: 'must be { type: user|role|owner, … }' }];
  switch (target.type) {
    case 'user':
      return isUuid(target.userId) ? [] : [{ field: `${at}.userId`, message: 'must be a user id (uuid)' }];
    case 'role':
      return typeof target.roleKey === 'string' && /^[a-z0-9][a-z0-9_.-]{0,63}$/.test(target.roleKey) ? [] : [{ field: `${at}.roleKey`, message: 'must be a role key' }];
    case 'owner':
      return typeof target.field === 'string' && PATH.test(target.field) ? [] : [{ field: `${at}.field`, message: 'must be the payload field holding the user id, e.g. ownerId' }];
    default:
      return [{ field: `${at}.type`, message: 'must be one of user, role, owner' }];
  }
}

/** Every problem of an automation action (free JSON in the request). */
export function validateAutomationAction(action: unknown, at = 'action'): FieldError[] {
  if (!isObject(action) || !(AUTOMATION_ACTION_TYPES as readonly string[]).includes(action.type as string)) {
    return [{ field: `${at}.type`, message: `must be one of ${AUTOMATION_ACTION_TYPES.join(', ')}` }];
  }
  const errors: FieldError[] = [];
  const str = (key: string, max: number) => {
    if (typeof action[key] !== 'string' || !(action[key] as string).trim() || (action[key] as string).length > max) {
      errors.push({ field: `${at}.${key}`, message: `must be a non-empty string of at most ${max} characters` });
    }
  };
  const only = (keys: string[]) => {
    const extra = Object.keys(action).filter((k) => !keys.includes(k));
    if (extra.length) errors.push({ field: at, message: `unknown keys for ${action.type as string}: ${extra.join(', ')}` });
  };
  if (action.type === 'create-task') {
    only(['type', 'title', 'assignee', 'dueIn']);
    str('title', 200);
    errors.push(...validateTarget(action.assignee, `${at}.assignee`));
    if (action.dueIn !== undefined && action.dueIn !== null && (typeof action.dueIn !== 'string' || !parseIsoDuration(action.dueIn))) {
      errors.push({ field: `${at}.dueIn`, message: 'must be an ISO 8601 duration such as P1D' });
    }
  } else if (action.type === 'notify') {
    only(['type', 'recipients', 'message']);
    str('message', 1000);
    errors.push(...validateTarget(action.recipients, `${at}.recipients`));
  } else {
    only(['type', 'command', 'payload']);
    if (typeof action.command !== 'string' || !KEBAB.test(action.command) || action.command.length > 60) {
      errors.push({ field: `${at}.command`, message: 'must be a kebab-case command name, e.g. opportunity-requested' });
    }
    if (!isObject(action.payload) || Object.keys(action.payload).length > 30) {
      errors.push({ field: `${at}.payload`, message: 'must be an object of at most 30 fields: { <name>: { field } | { value } }' });
      return errors;
    }
    for (const [key, source] of Object.entries(action.payload)) {
      const p = `${at}.payload.${key}`;
      if (!FIELD_KEY.test(key)) errors.push({ field: p, message: 'field names are identifiers' });
      else if (isObject(source) && Object.keys(source).length === 1 && typeof source.field === 'string' && PATH.test(source.field)) continue;
      else if (isObject(source) && Object.keys(source).length === 1 && 'value' in source && isScalar(source.value)) continue;
      else errors.push({ field: p, message: 'must be { field: "<payload path>" } or { value: <scalar> }' });
    }
    const required = KNOWN_COMMANDS[action.command as string] ?? [];
    for (const key of required) if (!(key in action.payload)) errors.push({ field: `${at}.payload.${key}`, message: `is required by ${action.command as string}` });
  }
  return errors;
}

/** The command event's type: `workflow.automation.<command>`. */
export const commandEventType = (command: string) => `workflow.automation.${command}`;

/** The command payload: each field copied from the event payload or constant, plus `sourceEventId`. */
export function buildCommandPayload(mapping: Record<string, ValueSource>, eventPayload: unknown, sourceEventId: string): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const [key, source] of Object.entries(mapping)) {
    if ('field' in source) {
      const v = readPath(eventPayload, source.field);
      out[key] = v === undefined || !isScalar(v) ? null : (v as Scalar);
    } else out[key] = source.value;
  }
  out.sourceEventId = sourceEventId;
  return out;
}
