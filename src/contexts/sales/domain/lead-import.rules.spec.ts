import { mapHeader, rowToLeadBody } from './lead-import.rules';

describe('lead import header mapping', () => {
  it('maps API names, common spellings and custom-field columns', () => {
    const { columns, problems } = mapHeader(['Company Name', 'First Name', 'Surname', 'E-mail', 'Telephone', 'estimatedAmountMinor', 'customFields.erpSegment']);
    expect(problems).toEqual([]);
    expect(columns).toEqual([
      { field: 'company' }, { field: 'firstName' }, { field: 'lastName' }, { field: 'email' }, { field: 'phone' },
      { field: 'estimatedAmountMinor' }, { customField: 'erpSegment' },
    ]);
  });

  it('reports unknown and repeated columns and a missing last name', () => {
    const { problems } = mapHeader(['email', 'shoe size', 'Mail']);
    expect(problems.map((p) => [p.column, p.header])).toEqual([[2, 'shoe size'], [3, 'Mail'], [0, '']]);
    expect(problems[1].message).toContain('repeats column 1');
  });
});

describe('lead import rows', () => {
  const { columns } = mapHeader(['lastName', 'email', 'estimatedAmountMinor', 'cf:tier']);
  it('trims, drops empty cells, converts whole amounts and gathers custom fields', () => {
    expect(rowToLeadBody([' Smith ', '', '2500', 'gold'], columns)).toEqual({ lastName: 'Smith', estimatedAmountMinor: 2500, customFields: { tier: 'gold' } });
  });
  it('leaves a non-integer amount as text for validation to refuse', () => {
    expect(rowToLeadBody(['Smith', 'x@y.example', '12.5'], columns)).toEqual({ lastName: 'Smith', email: 'x@y.example', estimatedAmountMinor: '12.5' });
  });
});
