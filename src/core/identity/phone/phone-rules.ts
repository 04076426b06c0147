import { Metadata } from 'libphonenumber-js/core';
import type { MetadataJson } from 'libphonenumber-js/core';

/**
 * The numbering-plan rules the fast path needs, compiled once from libphonenumber-js's own
 * metadata through its `Metadata` class, so they cannot drift from the library.
 *
 * Every pattern is the library's pattern text, anchored the way the library anchors it
 * (`^(?:…)$` where it calls `matchesEntirely`, `^(?:…)` where it strips a prefix).
 */
export interface PlanRules {
  readonly callingCode: string;
  /** The country this plan belongs to; undefined for a non-geographic calling code (+800). */
  readonly country: string | undefined;
  readonly group: CallingCodeRules;
  readonly nationalNumber: RegExp;
  readonly possibleLengths: readonly number[] | undefined;
  readonly iddPrefix: RegExp | undefined;
  readonly nationalPrefixForParsing: RegExp | undefined;
  readonly nationalPrefixTransformRule: string | undefined;
  readonly leadingDigits: RegExp | undefined;
  /** Undefined when the plan carries no per-type patterns (most countries in 'min'). */
  readonly types: readonly TypeRule[] | undefined;
}

/** One phone number type (fixed line, mobile, toll free, ...) of a plan. */
export interface TypeRule {
  readonly pattern: RegExp;
  readonly possibleLengths: readonly number[] | undefined;
}

/** The plans sharing one calling code, in the library's order (+1: US, AG, AI, ...). */
export interface CallingCodeRules {
  readonly callingCode: string;
  /** The plan the library selects for the bare calling code (+1 → US). */
  readonly main: PlanRules;
  /** Undefined for a non-geographic calling code, as `getCountryCodesForCallingCode` says. */
  readonly countries: readonly PlanRules[] | undefined;
}

/** Looks up compiled rules by country or calling code; built lazily, then memoised. */
export interface PhoneRules {
  /** Rules of an ISO alpha-2 country, or undefined when the metadata does not know it. */
  country(country: string): PlanRules | undefined;
  /** Rules of a calling code ("44"), or undefined when the metadata does not know it. */
  callingCode(callingCode: string): CallingCodeRules | undefined;
}

// The library's NumberingPlan has these methods at runtime; its .d.ts declares only a few.
interface RuntimeType {
  pattern(): string;
  possibleLengths(): number[] | undefined;
}
interface RuntimeNumberingPlan {
  callingCode(): string;
  IDDPrefix(): string | undefined;
  nationalNumberPattern(): string;
  possibleLengths(): number[] | 0 | undefined;
  nationalPrefixForParsing(): string | 0 | undefined;
  nationalPrefixTransformRule(): string | 0 | undefined;
  leadingDigits(): string | 0 | undefined;
  hasTypes(): boolean;
  type(name: string): RuntimeType | undefined;
}
interface RuntimeMetadata {
  numberingPlan?: RuntimeNumberingPlan;
  selectNumberingPlan(countryOrCallingCode: string): unknown;
  hasCallingCode(callingCode: string): boolean | undefined;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
}

// The order `getNumberType` tries; only "does any type match" matters to validity.
const TYPE_NAMES = [
  'FIXED_LINE',
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
] as const;

const ONLY_ASCII_LETTERS = /^[A-Z]{2}$/;

/**
 * Compiles the rules of a libphonenumber-js metadata set (min, max or mobile).
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/min/metadata';
 * const rules = createPhoneRules(metadata);
 * rules.country('GB')?.nationalNumber.test('2079460018'); // true
 * rules.callingCode('1')?.main.country; // 'US'
 * ```
 */
export function createPhoneRules(metadataJson: MetadataJson): PhoneRules {
  const metadata = new Metadata(metadataJson) as unknown as RuntimeMetadata;
  const groups = new Map<string, CallingCodeRules | null>();
  const countries = new Map<string, PlanRules>();

  function callingCode(code: string): CallingCodeRules | undefined {
    let group = groups.get(code);
    if (group === undefined) {
      group = metadata.hasCallingCode(code) === true ? buildGroup(metadata, code) : null;
      groups.set(code, group);
    }
    return group ?? undefined;
  }

  // Only known countries are remembered, so a column of junk country values cannot grow it.
  function country(code: string): PlanRules | undefined {
    let plan = countries.get(code);
    if (plan === undefined && ONLY_ASCII_LETTERS.test(code) && Object.hasOwn(metadataJson.countries, code)) {
      metadata.selectNumberingPlan(code);
      const group = callingCode(planOf(metadata).callingCode());
      plan = group?.countries?.find((candidate) => candidate.country === code);
      if (plan === undefined && group !== undefined) plan = buildPlan(metadata, code, group);
      if (plan !== undefined) countries.set(code, plan);
    }
    return plan;
  }

  return { country, callingCode };
}

function buildGroup(metadata: RuntimeMetadata, code: string): CallingCodeRules {
  const members = metadata.getCountryCodesForCallingCode(code);
  const group: { callingCode: string; main: PlanRules; countries: PlanRules[] | undefined } = {
    callingCode: code,
    main: undefined as unknown as PlanRules,
    countries: undefined,
  };
  if (members === undefined) {
    metadata.selectNumberingPlan(code);
    group.main = compilePlan(planOf(metadata), undefined, group);
  } else {
    group.countries = members.map((member) => buildPlan(metadata, member, group));
    group.main = group.countries[0] as PlanRules;
  }
  return group;
}

function buildPlan(metadata: RuntimeMetadata, country: string, group: CallingCodeRules): PlanRules {
  metadata.selectNumberingPlan(country);
  return compilePlan(planOf(metadata), country, group);
}

function planOf(metadata: RuntimeMetadata): RuntimeNumberingPlan {
  if (metadata.numberingPlan === undefined) {
    throw new Error('Cannot read the phone metadata as a numbering plan: none is selected');
  }
  return metadata.numberingPlan;
}

function compilePlan(
  plan: RuntimeNumberingPlan,
  country: string | undefined,
  group: CallingCodeRules,
): PlanRules {
  const idd = plan.IDDPrefix();
  const prefix = plan.nationalPrefixForParsing();
  const leading = plan.leadingDigits();
  return {
    callingCode: plan.callingCode(),
    country,
    group,
    nationalNumber: entire(plan.nationalNumberPattern()),
    possibleLengths: plan.possibleLengths() || undefined,
    iddPrefix: idd ? start(idd) : undefined,
    nationalPrefixForParsing: prefix ? start(prefix) : undefined,
    nationalPrefixTransformRule: plan.nationalPrefixTransformRule() || undefined,
    leadingDigits: leading ? start(leading) : undefined,
    types: plan.hasTypes() ? compileTypes(plan) : undefined,
  };
}

function compileTypes(plan: RuntimeNumberingPlan): TypeRule[] {
  const types: TypeRule[] = [];
  for (const name of TYPE_NAMES) {
    const type = plan.type(name);
    // `isNumberTypeEqualTo` treats an empty pattern as "this type does not exist".
    if (type === undefined || !type.pattern()) continue;
    types.push({ pattern: entire(type.pattern()), possibleLengths: type.possibleLengths() || undefined });
  }
  return types;
}

function entire(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

function start(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})`);
}
