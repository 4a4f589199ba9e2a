import { checkDeclarations, renderEventCatalog, type DeclaredEvent } from './event-catalog';

const won: DeclaredEvent = {
  publisher: 'sales',
  type: 'sales.opportunity.won',
  description: 'An opportunity was won.',
  payload: { opportunityId: 'uuid — the opportunity', amountMinor: 'number — amount | minor units' },
};

describe('event catalogue', () => {
  it('lists each event with publisher, matching consumers (exact and wildcard) and payload fields', () => {
    const md = renderEventCatalog([won], [
      { consumer: 'finance.open-cost-centre', pattern: 'sales.opportunity.won', handler: 'OpenCostCentre.handle' },
      { consumer: 'analytics.sales-feed', pattern: 'sales.**', handler: 'SalesFeed.project' },
      { consumer: 'service.noop', pattern: 'service.ticket.*', handler: 'Noop.handle' },
    ]);
    expect(md).toContain('| [`sales.opportunity.won`](#salesopportunitywon) | sales | `finance.open-cost-centre`, `analytics.sales-feed` |');
    expect(md).toContain('- `finance.open-cost-centre` — `OpenCostCentre.handle` (pattern `sales.opportunity.won`)');
    expect(md).toContain('| `amountMinor` | number — amount \\| minor units |');
    expect(md).toMatch(/Consumers of undeclared events[\s\S]*`service.noop`/);
  });

  it('refuses malformed, foreign and duplicate type names', () => {
    expect(checkDeclarations([won, { ...won }, { ...won, type: 'finance.opportunity.won' }, { ...won, type: 'sales.Won' }])).toEqual([
      '"sales.opportunity.won" is declared twice',
      'sales: "finance.opportunity.won" must start with "sales."',
      'sales: "sales.Won" is not <context>.<aggregate>.<past-tense>',
    ]);
  });
});
