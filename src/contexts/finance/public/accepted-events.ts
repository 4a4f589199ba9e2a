/**
 * Events of other contexts that Finance consumes, with the payload fields it reads. Finance
 * accepts these contracts ahead of (or independently from) the publishing contexts: every
 * field is optional and read defensively; the subject id is the event's `aggregateId`.
 * Publishers: include at least these fields to get a cost centre opened.
 */
export interface AcceptedSubjectCreated {
  /** Shown as the cost centre's name (prefixed with the subject kind). */
  name?: string;
  /** Becomes the cost centre's owner. */
  ownerId?: string | null;
  /** A budget: becomes the cap (else the auto-open rule's default cap). */
  budgetMinor?: number | null;
  /** Currency of the budget / amount (else the rule's default currency). */
  currency?: string | null;
}

/** `sales.opportunity.created` (on/off with the `sales.opportunity` auto-open rule). */
export interface AcceptedOpportunityCreated extends AcceptedSubjectCreated {
  opportunityId?: string;
  amountMinor?: number | null;
}

/** `marketing.campaign.created`. */
export interface AcceptedCampaignCreated extends AcceptedSubjectCreated {
  campaignId?: string;
}

/** `service.project.created` (implementation projects). */
export interface AcceptedProjectCreated extends AcceptedSubjectCreated {
  projectId?: string;
}

/** Event type → the subject type of the cost centre it opens. */
export const AUTO_OPEN_SUBJECTS = {
  'sales.opportunity.created': 'sales.opportunity',
  'marketing.campaign.created': 'marketing.campaign',
  'service.project.created': 'service.project',
} as const;
