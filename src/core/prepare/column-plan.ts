import { CleanRoomError } from '../errors.js';
import { IDENTIFIER_KINDS, isIdentifierKind } from '../identity/identifier-kind.js';
import type { IdentifierKind } from '../identity/identifier-kind.js';

/** What prepare does with one input column. */
export interface PlannedColumn {
  /** 0-based position in the input record. */
  index: number;
  /** The header as written in the input file. */
  header: string;
  /** The identifier kind, when the column is an identifier; absent for pass-through. */
  kind?: IdentifierKind;
  /** The header written to the prepared file. */
  outputName: string;
}

/** The whole plan: every input column in order, and how many fields a record must have. */
export interface ColumnPlan {
  columns: PlannedColumn[];
  fieldCount: number;
}

/**
 * Header spellings recognised for each kind, compared after {@link headerKey}
 * (lower case, every run of non-alphanumerics folded to one `_`).
 */
export const HEADER_ALIASES: Readonly<Record<IdentifierKind, readonly string[]>> = Object.freeze({
  email: ['email', 'e_mail', 'email_address', 'e_mail_address', 'emailaddress', 'mail', 'em', 'email1', 'primary_email'],
  phone: ['phone', 'phone_number', 'phonenumber', 'mobile', 'mobile_phone', 'mobile_number', 'cell', 'cell_phone', 'cellphone', 'telephone', 'tel', 'ph', 'msisdn', 'phone1'],
  first_name: ['first_name', 'firstname', 'fname', 'first', 'given_name', 'givenname', 'forename', 'fn'],
  last_name: ['last_name', 'lastname', 'lname', 'last', 'surname', 'family_name', 'familyname', 'ln'],
  address: ['address', 'street', 'street_address', 'address1', 'address_1', 'address_line_1', 'address_line1', 'addressline1', 'addr', 'addr1', 'street_line_1', 'street1', 'mailing_address', 'home_address'],
  city: ['city', 'town', 'locality', 'ct'],
  state: ['state', 'state_code', 'province', 'region', 'state_province', 'st'],
  zip: ['zip', 'zipcode', 'zip_code', 'postal_code', 'postalcode', 'postcode', 'post_code', 'postal', 'zp'],
  country: ['country', 'country_code', 'countrycode', 'ctry'],
  dob: ['dob', 'date_of_birth', 'dateofbirth', 'birth_date', 'birthdate', 'birthday', 'db'],
  gender: ['gender', 'sex', 'ge'],
  external_id: ['external_id', 'externalid', 'customer_id', 'customerid', 'cust_id', 'client_id', 'member_id', 'loyalty_id', 'user_id', 'extern_id'],
});

const ALIAS_TO_KIND: ReadonlyMap<string, IdentifierKind> = new Map(
  IDENTIFIER_KINDS.flatMap((kind) => HEADER_ALIASES[kind].map((alias) => [alias, kind] as const)),
);

/**
 * The comparison key of a header: NFC, lower case, non-alphanumerics folded to `_`.
 *
 * @example
 * ```ts
 * headerKey(' E-mail Address '); // 'e_mail_address'
 * ```
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
}

export interface PlanColumnsOptions {
  /** Explicit mappings, kind -> header as written; they win over recognised names. */
  map?: Readonly<Record<string, string>>;
  /** Where the header came from, for messages. */
  file?: string;
  /**
   * Guess identifier columns from common header names (default true). False: only the
   * mapped columns are identifiers, and they keep their header — how a template's dataset
   * is prepared, so that a person-key column such as `customer_id` passes through
   * untouched and every column keeps the template's name.
   */
  autoDetect?: boolean;
}

/**
 * Decides, from the header row, which columns are identifiers of which kind and which
 * pass through unchanged. Throws a CleanRoomError naming the header when a mapping
 * points at no column or when no identifier column is found.
 *
 * @example
 * ```ts
 * planColumns(['E-mail', 'Mobile', 'revenue'], {}).columns.map((c) => c.kind);
 * // ['email', 'phone', undefined]
 * ```
 */
export function planColumns(header: readonly string[], options: PlanColumnsOptions = {}): ColumnPlan {
  const { map = {}, file = 'input', autoDetect = true } = options;
  const explicit = new Map<number, IdentifierKind>();
  for (const [kind, name] of Object.entries(map)) {
    if (!isIdentifierKind(kind)) {
      throw new CleanRoomError('invalid_argument', `Cannot map ${kind}="${name}": '${kind}' is not an identifier kind (known: ${IDENTIFIER_KINDS.join(', ')})`, {
        details: { field: kind },
      });
    }
    const index = findHeader(header, name);
    if (index === -1) {
      throw new CleanRoomError('invalid_argument', `Cannot map ${kind}="${name}": ${file} has no column "${name}" (columns: ${header.join(', ')})`, {
        details: { file, field: name },
      });
    }
    explicit.set(index, kind);
  }
  const mappedKinds = new Set(explicit.values());
  const seenHeaders = new Set<string>();
  const used = new Map<string, number>();
  const columns = header.map((raw, index): PlannedColumn => {
    const key = headerKey(raw);
    if (key !== '' && seenHeaders.has(key)) {
      throw new CleanRoomError('invalid_input', `Cannot read ${file} as a CSV with a header: column ${index + 1} "${raw}" repeats an earlier column name`, {
        details: { file, line: 1, column: index + 1, field: raw },
      });
    }
    seenHeaders.add(key);
    const recognised = autoDetect ? ALIAS_TO_KIND.get(key) : undefined;
    // A kind mapped explicitly to another column is not also guessed from this header.
    const kind = explicit.get(index) ?? (recognised !== undefined && !mappedKinds.has(recognised) ? recognised : undefined);
    if (kind === undefined) return { index, header: raw, outputName: raw };
    const count = (used.get(kind) ?? 0) + 1;
    used.set(kind, count);
    // Guessed columns are renamed after their kind; in template mode they keep the
    // template's column name, which is their header.
    if (!autoDetect) return { index, header: raw, kind, outputName: raw };
    return { index, header: raw, kind, outputName: count === 1 ? kind : `${kind}_${count}` };
  });
  return { columns, fieldCount: header.length };
}

function findHeader(header: readonly string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact !== -1) return exact;
  const key = headerKey(name);
  return header.findIndex((h) => headerKey(h) === key);
}

/** True when the plan has at least one identifier column. */
export function hasIdentifier(plan: ColumnPlan): boolean {
  return plan.columns.some((c) => c.kind !== undefined);
}
