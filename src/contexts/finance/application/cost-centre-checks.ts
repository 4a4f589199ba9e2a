import type { EntityManager } from 'typeorm';
import { DomainError } from '../../../platform/errors/domain-error.js';
import { CostCentre } from '../domain/cost-centre.entity.js';

/** A claim, advance or income may be charged to a centre that exists, is open and holds its currency (422 otherwise). */
export async function assertCentreAccepts(em: EntityManager, costCentreId: string, currency: string): Promise<CostCentre> {
  const centre = await em.getRepository(CostCentre).findOneBy({ id: costCentreId });
  if (!centre) {
    throw new DomainError('rule-violated', 'finance.cost-centre.unknown', `Cost centre ${costCentreId} does not exist`, {}, [{ field: 'costCentreId', message: 'no such cost centre' }]);
  }
  if (centre.status === 'closed') throw new DomainError('rule-violated', 'finance.cost-centre.closed', `Cost centre ${centre.code} is closed`, { costCentreId });
  if (centre.currency !== currency) {
    throw new DomainError('rule-violated', 'finance.currency-mismatch', `The currency ${currency} differs from the cost centre's ${centre.currency}`, {
      costCentreId,
      costCentreCurrency: centre.currency,
    });
  }
  return centre;
}
