import { ledgerDeltas, sumLedger } from './ledger.rules';

describe('ledger', () => {
  it('moves a reservation into spending on posting and back out on release', () => {
    expect(ledgerDeltas('posting', 50)).toEqual({ reservedDeltaMinor: -50, spentDeltaMinor: 50, incomeDeltaMinor: 0 });
    expect(ledgerDeltas('release', 50)).toEqual({ reservedDeltaMinor: -50, spentDeltaMinor: 0, incomeDeltaMinor: 0 });
  });

  it('sums reservations, releases, postings and incomes into the centre figures', () => {
    const figures = sumLedger([
      { kind: 'reservation', amountMinor: 100 },
      { kind: 'reservation', amountMinor: 40 },
      { kind: 'posting', amountMinor: 60 },
      { kind: 'posting', amountMinor: 40 },
      { kind: 'reservation', amountMinor: 30 },
      { kind: 'release', amountMinor: 30 },
      { kind: 'income', amountMinor: 7 },
    ]);
    expect(figures).toEqual({ reservedMinor: 40, spentMinor: 100, incomeMinor: 7 });
  });
});
