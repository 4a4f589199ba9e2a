import { DomainError } from '../../../platform/errors/domain-error';
import { LEAD_STATUSES, LEAD_TRANSITIONS, assertLeadEditable, assertLeadTransition, canTransitionLead } from './lead-status.rules';

describe('lead status transitions', () => {
  it('follows new → assigned → working → qualified → converted', () => {
    expect(canTransitionLead('new', 'assigned')).toBe(true);
    expect(canTransitionLead('assigned', 'working')).toBe(true);
    expect(canTransitionLead('working', 'qualified')).toBe(true);
    expect(canTransitionLead('qualified', 'converted')).toBe(true);
  });

  it('cannot convert or work a pool lead before it has an owner', () => {
    expect(canTransitionLead('new', 'converted')).toBe(false);
    expect(canTransitionLead('new', 'working')).toBe(false);
  });

  it('keeps final states final', () => {
    for (const to of LEAD_STATUSES) {
      expect(canTransitionLead('converted', to)).toBe(false);
      expect(canTransitionLead('disqualified', to)).toBe(false);
    }
  });

  it('refuses with a typed 409 listing what is allowed', () => {
    try {
      assertLeadTransition('new', 'qualified');
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ status: 409, code: 'sales.lead.illegal-transition', extras: { allowed: LEAD_TRANSITIONS.new } });
    }
  });

  it('makes converted leads read-only', () => {
    expect(() => assertLeadEditable('converted')).toThrow(expect.objectContaining({ code: 'sales.lead.converted-read-only' }));
    expect(() => assertLeadTransition('converted', 'assigned')).toThrow(expect.objectContaining({ code: 'sales.lead.converted-read-only' }));
    expect(() => assertLeadEditable('working')).not.toThrow();
  });
});
