/**
 * Pure rules of the lead CSV import: which column header means which lead field, and how one
 * CSV row becomes the body of a POST /leads (validated afterwards with the same DTO).
 */

/** Lead fields a CSV may fill, by their API names. `customFields.<key>` columns fill custom fields. */
export const LEAD_IMPORT_FIELDS = [
  'company', 'firstName', 'lastName', 'title', 'email', 'phone', 'source', 'industry', 'region', 'productInterest',
  'estimatedAmountMinor', 'currency', 'description', 'campaignId', 'ownerId',
] as const;
export type LeadImportField = (typeof LEAD_IMPORT_FIELDS)[number];

/** Common spellings of the headers of purchased lists, normalized (lower case, letters and digits only). */
const ALIASES: Record<string, LeadImportField> = {
  companyname: 'company', organization: 'company', organisation: 'company', account: 'company',
  givenname: 'firstName', forename: 'firstName',
  surname: 'lastName', familyname: 'lastName', name: 'lastName',
  jobtitle: 'title', position: 'title',
  emailaddress: 'email', mail: 'email',
  telephone: 'phone', phonenumber: 'phone', tel: 'phone',
  leadsource: 'source',
  amountminor: 'estimatedAmountMinor', estimatedamount: 'estimatedAmountMinor',
  notes: 'description', note: 'description', comments: 'description',
  owner: 'ownerId',
};

const normalize = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');
const BY_NAME = new Map<string, LeadImportField>([...LEAD_IMPORT_FIELDS.map((f) => [normalize(f), f] as const), ...Object.entries(ALIASES)]);
const CUSTOM = /^(?:customfields?|cf)[.:](.+)$/i;

/** A column: a lead field, or a custom field (`customFields.<key>`). */
export type ImportColumn = { field: LeadImportField } | { customField: string };

export interface HeaderProblem {
  column: number;
  header: string;
  message: string;
}

/** Maps the header row to columns; unknown, empty and repeated headers and a missing last name are problems. */
export function mapHeader(headers: readonly string[]): { columns: ImportColumn[]; problems: HeaderProblem[] } {
  const columns: ImportColumn[] = [];
  const problems: HeaderProblem[] = [];
  const seen = new Map<string, number>();
  headers.forEach((raw, i) => {
    const header = raw.trim();
    const custom = CUSTOM.exec(header);
    const column: ImportColumn | undefined = custom ? { customField: custom[1].trim() } : BY_NAME.has(normalize(header)) ? { field: BY_NAME.get(normalize(header))! } : undefined;
    if (!column) {
      problems.push({ column: i + 1, header, message: `unknown column "${header}"; known: ${LEAD_IMPORT_FIELDS.join(', ')}, customFields.<key>` });
      columns.push({ customField: '' });
      return;
    }
    const key = 'field' in column ? column.field : `customFields.${column.customField}`;
    if (seen.has(key)) problems.push({ column: i + 1, header, message: `column "${header}" repeats column ${seen.get(key)} (${key})` });
    seen.set(key, i + 1);
    columns.push(column);
  });
  if (!columns.some((c) => 'field' in c && c.field === 'lastName')) {
    problems.push({ column: 0, header: '', message: 'a lastName column is required (also accepted: "last name", "surname", "name")' });
  }
  return { columns, problems };
}

/**
 * One CSV row as a create-lead body: cells trimmed, empty cells left out, whole numbers in
 * `estimatedAmountMinor` made numbers (anything else stays text and fails validation).
 */
export function rowToLeadBody(cells: readonly string[], columns: readonly ImportColumn[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const customFields: Record<string, string> = {};
  columns.forEach((column, i) => {
    const value = (cells[i] ?? '').trim();
    if (value === '') return;
    if ('customField' in column) customFields[column.customField] = value;
    else body[column.field] = column.field === 'estimatedAmountMinor' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
  });
  if (Object.keys(customFields).length) body.customFields = customFields;
  return body;
}
