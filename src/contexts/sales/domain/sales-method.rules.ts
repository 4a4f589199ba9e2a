import { DomainError, type FieldError } from '../../../platform/errors/domain-error.js';

export type StageTerminal = 'won' | 'lost';

export interface StageDefinition {
  key: string;
  name: string;
  order: number;
  probability: number;
  terminal: StageTerminal | null;
}

/**
 * A method needs at least one open stage, exactly one `won` stage (probability 100) and at least
 * one `lost` stage (probability 0); keys and orders are unique. Returns the stages by order.
 */
export function validateStages(stages: readonly StageDefinition[]): StageDefinition[] {
  const errors: FieldError[] = [];
  const keys = new Set<string>();
  const orders = new Set<number>();
  stages.forEach((stage, i) => {
    if (keys.has(stage.key)) errors.push({ field: `stages[${i}].key`, message: `duplicate stage key "${stage.key}"` });
    if (orders.has(stage.order)) errors.push({ field: `stages[${i}].order`, message: `duplicate order ${stage.order}` });
    keys.add(stage.key);
    orders.add(stage.order);
    if (stage.terminal === 'won' && stage.probability !== 100) errors.push({ field: `stages[${i}].probability`, message: 'a won stage has probability 100' });
    if (stage.terminal === 'lost' && stage.probability !== 0) errors.push({ field: `stages[${i}].probability`, message: 'a lost stage has probability 0' });
  });
  const won = stages.filter((s) => s.terminal === 'won').length;
  if (won !== 1) errors.push({ field: 'stages', message: `a sales method has exactly one won stage (found ${won})` });
  if (!stages.some((s) => s.terminal === 'lost')) errors.push({ field: 'stages', message: 'a sales method has at least one lost stage' });
  if (!stages.some((s) => s.terminal === null)) errors.push({ field: 'stages', message: 'a sales method has at least one open stage' });
  if (errors.length) {
    throw new DomainError('invalid', 'validation-failed', `The sales method has ${errors.length} invalid stage setting${errors.length === 1 ? '' : 's'}`, {}, errors);
  }
  return [...stages].sort((a, b) => a.order - b.order);
}
