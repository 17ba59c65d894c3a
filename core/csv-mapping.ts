/**
 * Which registrant fields a CSV import needs, and a first guess at which columns hold them. The station's import
 * (`registrants.importCsv`) and its preview (`registrants.previewCsv`) both use `unmappedRequired`, so the mapping
 * step on screen and the import itself can never disagree about what is missing.
 */
import { registrantCsvFields } from './conference';

export type CsvField = (typeof registrantCsvFields)[number];
export type CsvColumnMapping = Partial<Record<CsvField, string>>;

/**
 * `always`: every row needs it; `or_default`: mapped, or a default given for new registrants; `optional`: kept as
 * it is (an existing registrant) or empty (a new one) when unmapped.
 */
export const csvFieldNeed: Record<CsvField, 'always' | 'or_default' | 'optional'> = {
  id: 'optional',
  confirmationCode: 'always',
  firstName: 'optional',
  lastName: 'optional',
  email: 'optional',
  company: 'optional',
  ticketTypeId: 'or_default',
  sessions: 'optional',
  status: 'optional',
};

/** Required fields that are neither mapped nor covered by a default, in the contract's field order. */
export function unmappedRequired(
  mapping: CsvColumnMapping,
  defaults: { ticketTypeId?: string | undefined } = {},
): CsvField[] {
  return registrantCsvFields.filter((f) => {
    if (mapping[f]) return false;
    if (csvFieldNeed[f] === 'always') return true;
    return csvFieldNeed[f] === 'or_default' && f === 'ticketTypeId' && !defaults.ticketTypeId;
  });
}

/** Header words other systems use for each field (compared without case, spaces, dashes or underscores). */
const synonyms: Record<CsvField, string[]> = {
  id: ['id', 'registrantid', 'attendeeid', 'personid'],
  confirmationCode: [
    'confirmationcode',
    'confirmation',
    'code',
    'orderref',
    'orderreference',
    'bookingref',
    'bookingreference',
    'reference',
    'ticketcode',
    'barcode',
  ],
  firstName: ['firstname', 'givenname', 'first', 'forename', 'given'],
  lastName: ['lastname', 'familyname', 'surname', 'last', 'family'],
  email: ['email', 'emailaddress', 'mail'],
  company: ['company', 'organisation', 'organization', 'employer', 'org'],
  ticketTypeId: ['tickettypeid', 'tickettype', 'ticket', 'pass', 'passtype'],
  sessions: ['sessions', 'sessionids', 'workshops', 'addons'],
  status: ['status', 'registrationstatus', 'paymentstatus', 'orderstatus'],
};

const norm = (h: string) => h.toLowerCase().replace(/[\s_\-.]/g, '');

/** A first guess at the mapping from the header's names; each column is used at most once. Staff confirm it. */
export function suggestCsvMapping(headers: readonly string[]): CsvColumnMapping {
  const out: CsvColumnMapping = {};
  const used = new Set<string>();
  for (const f of registrantCsvFields) {
    const hit = headers.find((h) => h !== '' && !used.has(h) && synonyms[f].includes(norm(h)));
    if (hit !== undefined) {
      out[f] = hit;
      used.add(hit);
    }
  }
  return out;
}
