import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'own' | 'team' | 'subtree' | 'all';

/** What every employee may do about their own expenses and approvals. */
const EMPLOYEE = [
  'finance.expense-claim:*',
  'finance.advance:*',
  'finance.cost-centre:read',
  'finance.reconciliation:read',
  'workflow.task:*',
  'workflow.approval:read',
  'workflow.approval:recall',
  'workflow.delegation:*',
  'workflow.process-definition:read',
  // Pick owners, approvers and teams in the UIs.
  'identity.user:read',
  'identity.org-unit:read',
];

/** Expense claims and advances: own for staff, team for managers, subtree for directors. */
const employeeScopes = (scope: Scope): Record<string, Scope> => ({
  'finance.expense-claim': scope,
  'finance.advance': scope,
  'finance.reconciliation': scope,
  'identity.*': 'all',
});

interface Seed {
  key: string;
  name: string;
  permissions: string[];
  dataScopes: Record<string, Scope>;
}

const PORTAL_PARTNER = [
  'sales.account:read', 'sales.contact:read', 'sales.lead:read', 'sales.lead:create', 'sales.opportunity:read',
  'sales.quote:read', 'sales.order:read', 'sales.contract:read', 'sales.product:read', 'sales.price-list:read',
  'service.ticket:read', 'service.ticket:create',
];
const PORTAL_CUSTOMER = [
  'sales.account:read', 'sales.contact:read', 'sales.quote:read', 'sales.order:read', 'sales.contract:read',
  'sales.invoice:read', 'service.ticket:read', 'service.ticket:create', 'service.ticket:comment', 'service.asset:read',
  'service.knowledge-article:read',
];

export const BUILT_IN_ROLES: Seed[] = [
  { key: 'admin', name: 'Administrator', permissions: ['*:*'], dataScopes: { '*': 'all' } },
  {
    key: 'sales-director',
    name: 'Sales director',
    permissions: ['sales.*:*', 'marketing.campaign:read', 'analytics.*:read', 'service.ticket:read', 'workflow.approval:*', ...EMPLOYEE],
    dataScopes: { 'sales.*': 'subtree', 'analytics.*': 'subtree', 'service.ticket': 'subtree', ...employeeScopes('subtree') },
  },
  {
    key: 'sales-manager',
    name: 'Sales manager',
    permissions: ['sales.*:*', 'marketing.campaign:read', 'analytics.*:read', 'service.ticket:read', 'workflow.approval:*', ...EMPLOYEE],
    dataScopes: { 'sales.*': 'team', 'analytics.*': 'team', 'service.ticket': 'team', ...employeeScopes('team') },
  },
  {
    key: 'sales-rep',
    name: 'Sales representative',
    permissions: ['sales.*:*', 'marketing.campaign:read', 'service.ticket:read', ...EMPLOYEE],
    dataScopes: { 'sales.*': 'own', 'service.ticket': 'own', ...employeeScopes('own') },
  },
  {
    key: 'marketer',
    name: 'Marketer',
    permissions: ['marketing.*:*', 'sales.lead:*', 'sales.account:read', 'sales.contact:read', 'analytics.*:read', ...EMPLOYEE],
    dataScopes: { 'marketing.*': 'all', 'sales.lead': 'all', 'sales.account': 'all', 'sales.contact': 'all', 'analytics.*': 'all', ...employeeScopes('own') },
  },
  {
    key: 'service-manager',
    name: 'Service manager',
    permissions: ['service.*:*', 'sales.account:read', 'sales.contact:read', 'analytics.*:read', 'workflow.approval:*', ...EMPLOYEE],
    dataScopes: { 'service.*': 'subtree', 'sales.account': 'all', 'sales.contact': 'all', 'analytics.*': 'subtree', ...employeeScopes('team') },
  },
  {
    key: 'service-agent',
    name: 'Service agent',
    permissions: ['service.*:*', 'sales.account:read', 'sales.contact:read', ...EMPLOYEE],
    dataScopes: { 'service.*': 'team', 'sales.account': 'all', 'sales.contact': 'all', ...employeeScopes('own') },
  },
  {
    key: 'field-engineer',
    name: 'Field engineer',
    permissions: [
      'service.work-order:*', 'service.ticket:read', 'service.ticket:update', 'service.asset:read', 'service.spare-part:*',
      'service.knowledge-article:read', 'sales.account:read', 'sales.contact:read', ...EMPLOYEE,
    ],
    dataScopes: { 'service.*': 'own', 'service.knowledge-article': 'all', 'sales.account': 'all', 'sales.contact': 'all', ...employeeScopes('own') },
  },
  {
    key: 'call-center-agent',
    name: 'Call-center agent',
    permissions: [
      'call-center.*:*', 'service.ticket:*', 'service.knowledge-article:read', 'sales.account:read', 'sales.contact:read',
      'sales.lead:read', 'sales.lead:create', ...EMPLOYEE,
    ],
    dataScopes: {
      'call-center.*': 'own', 'service.ticket': 'own', 'service.knowledge-article': 'all', 'sales.account': 'all', 'sales.contact': 'all',
      ...employeeScopes('own'),
    },
  },
  {
    key: 'call-center-supervisor',
    name: 'Call-center supervisor',
    permissions: [
      'call-center.*:*', 'service.ticket:*', 'service.knowledge-article:read', 'sales.account:read', 'sales.contact:read',
      'sales.lead:*', 'analytics.*:read', 'workflow.approval:*', ...EMPLOYEE,
    ],
    dataScopes: {
      'call-center.*': 'subtree', 'service.ticket': 'subtree', 'service.knowledge-article': 'all', 'sales.account': 'all',
      'sales.contact': 'all', 'sales.lead': 'subtree', 'analytics.*': 'subtree', ...employeeScopes('team'),
    },
  },
  {
    key: 'finance',
    name: 'Finance',
    permissions: [
      'finance.*:*', 'finance.cost-centre:change-cap', 'sales.account:read', 'sales.order:read', 'sales.contract:read',
      'sales.invoice:*', 'sales.payment:*', 'analytics.*:read', 'workflow.approval:*',
      ...EMPLOYEE.filter((p) => !p.startsWith('finance.')),
    ],
    dataScopes: { 'finance.*': 'all', 'sales.*': 'all', 'analytics.*': 'all', 'identity.*': 'all' },
  },
  { key: 'partner', name: 'Partner portal user', permissions: PORTAL_PARTNER, dataScopes: {} },
  { key: 'customer', name: 'Customer portal user', permissions: PORTAL_CUSTOMER, dataScopes: {} },
];

/**
 * The built-in roles of DOMAIN.md. Partner and customer users are confined to their account by
 * their user kind, whatever the role's scopes say. Custom roles are created through the API.
 */
export class SeedBuiltInRoles1763860000001 implements MigrationInterface {
  name = 'SeedBuiltInRoles1763860000001';

  async up(q: QueryRunner): Promise<void> {
    for (const role of BUILT_IN_ROLES) {
      await q.query(
        `INSERT INTO platform.role (id, key, name, permissions, data_scopes, built_in) VALUES (gen_random_uuid(), $1, $2, $3, $4, true)`,
        [role.key, role.name, role.permissions, JSON.stringify(role.dataScopes)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM platform.role WHERE built_in`);
  }
}
