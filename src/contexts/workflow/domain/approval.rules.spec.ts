import { assertTransition } from '../../../platform/errors/transitions';
import { INSTANCE_TRANSITIONS, TASK_TRANSITIONS, isReplayedDecision, stepOutcomeAfter } from './approval.rules';

describe('approval rules', () => {
  it('any: the first response decides', () => {
    expect(stepOutcomeAfter('any', 'approve', 3)).toBe('approved');
    expect(stepOutcomeAfter('any', 'reject', 3)).toBe('rejected');
  });

  it('all: unanimous approval, one rejection rejects', () => {
    expect(stepOutcomeAfter('all', 'approve', 1)).toBe('pending');
    expect(stepOutcomeAfter('all', 'approve', 0)).toBe('approved');
    expect(stepOutcomeAfter('all', 'reject', 2)).toBe('rejected');
  });

  it('recognises a repeated identical decision by the same actor', () => {
    expect(isReplayedDecision({ status: 'approved', decidedBy: 'u1' }, 'approve', 'u1')).toBe(true);
    expect(isReplayedDecision({ status: 'approved', decidedBy: 'u1' }, 'reject', 'u1')).toBe(false);
    expect(isReplayedDecision({ status: 'approved', decidedBy: 'u1' }, 'approve', 'u2')).toBe(false);
    expect(isReplayedDecision({ status: 'no-response', decidedBy: null }, 'approve', 'u1')).toBe(false);
  });

  it('closed instances and tasks do not move', () => {
    expect(() => assertTransition(INSTANCE_TRANSITIONS, 'workflow.approval.closed', 'approved', 'recalled')).toThrow(/allowed: none/);
    expect(() => assertTransition(INSTANCE_TRANSITIONS, 'workflow.approval.closed', 'running', 'recalled')).not.toThrow();
    expect(() => assertTransition(TASK_TRANSITIONS, 'workflow.task.closed', 'no-response', 'approved')).toThrow();
  });
});
