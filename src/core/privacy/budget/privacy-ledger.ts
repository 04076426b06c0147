import { CleanRoomError } from '../../errors.js';
import type { LedgerEntry, LedgerStore } from './ledger-store.js';
import {
  addSpent,
  checkBudget,
  describeCost,
  describeRemaining,
  exactCost,
  ZERO_SPENT,
  type PrivacyBudget,
  type PrivacyCost,
  type Remaining,
  type Spent,
} from './privacy-accounting.js';
import { toRational, type Rational } from '../dp/rational.js';

/**
 * The configuration of one collaboration's ledger.
 *
 * @example
 * ```ts
 * const options: PrivacyLedgerOptions = {
 *   store: new MemoryLedgerStore(), key: 'collab-1', clock: () => Date.now(),
 *   budget: { collaboration: { epsilon: 3, delta: 1e-6 }, perParty: { epsilon: 1, delta: 1e-6 } },
 *   refresh: { periodMs: 30 * 24 * 3600 * 1000 },
 * };
 * ```
 */
export interface PrivacyLedgerOptions {
  store: LedgerStore;
  /** The ledger's key in the store: the collaboration id. */
  key: string;
  /** The collaboration's total, and each running party's (all its API keys together); perParty defaults to the total. */
  budget: { collaboration: PrivacyBudget; perParty?: PrivacyBudget };
  /** Budgets start afresh every `periodMs`, counted from `origin` (epoch ms, default 0). */
  refresh?: { periodMs: number; origin?: number };
  /** Now, in epoch milliseconds. */
  clock: () => number;
  /** Compare-and-append attempts before giving up under contention (default 1000). */
  maxAttempts?: number;
  /** Whether runs spend ρ (Gaussian mechanism): else messages leave ρ out. Default true. */
  zcdp?: boolean;
}

/**
 * What a run would leave, or what a charge left: remaining budgets of the collaboration and
 * of the party (for this period), and when the period ends (null without refresh).
 *
 * @example
 * ```ts
 * const p: BudgetStatus = await ledger.preview('p_brand', { epsilon: 0.1 });
 * if (!p.allowed) console.log(p.reason);
 * ```
 */
export interface BudgetStatus {
  allowed: boolean;
  cost: string;
  remaining: { collaboration: Remaining; party: Remaining };
  periodEndsAt: number | null;
  /** Why it would be refused (the refusal's message), when it would. */
  reason: string | null;
}

/**
 * The privacy budget ledger of one collaboration: every release is charged here, atomically,
 * before it is released. A charge reads the log, checks both budgets with the new cost, and
 * compare-and-appends at the version it read; if another charge got in first it re-reads and
 * re-checks, so concurrent charges can never overspend, whatever the number of servers.
 *
 * @example
 * ```ts
 * const ledger = new PrivacyLedger({ store, key: collaborationId, budget, clock: () => Date.now() });
 * const left = await ledger.charge('p_brand', { epsilon: 0.1 }, { reference: runId }); // or throws 'refused'
 * ```
 */
export class PrivacyLedger {
  readonly #store: LedgerStore;
  readonly #key: string;
  readonly #collaboration: PrivacyBudget;
  readonly #perParty: PrivacyBudget;
  readonly #refresh: { periodMs: number; origin: number } | null;
  readonly #clock: () => number;
  readonly #maxAttempts: number;
  readonly #zcdp: boolean;

  constructor(options: PrivacyLedgerOptions) {
    const { store, key, budget, refresh, clock, maxAttempts = 1000, zcdp = true } = options;
    this.#zcdp = zcdp;
    this.#store = store;
    this.#key = key;
    this.#collaboration = validBudget('collaboration', budget.collaboration);
    this.#perParty = validBudget('perParty', budget.perParty ?? budget.collaboration);
    if (refresh !== undefined && !(Number.isSafeInteger(refresh.periodMs) && refresh.periodMs > 0)) {
      throw new CleanRoomError('invalid_argument', `Cannot refresh a privacy budget as periodMs=${refresh.periodMs}: it must be a whole number of ms > 0`);
    }
    this.#refresh = refresh === undefined ? null : Object.freeze({ periodMs: refresh.periodMs, origin: refresh.origin ?? 0 });
    this.#clock = clock;
    this.#maxAttempts = maxAttempts;
  }

  /**
   * What charging `cost` to `party` would leave, without charging it.
   *
   * @example
   * ```ts
   * (await ledger.preview('p_brand', { epsilon: 0.5 })).allowed; // true while 0.5 remains
   * ```
   */
  async preview(party: string, cost: PrivacyCost): Promise<BudgetStatus> {
    const exact = exactCost(cost);
    return this.#status(party, exact, await this.#store.read(this.#key), this.#period());
  }

  /**
   * What remains for `party` this period, charging nothing.
   *
   * @example
   * ```ts
   * (await ledger.remaining('p_brand')).party.epsilon; // e.g. 0.7
   * ```
   */
  async remaining(party: string): Promise<{ collaboration: Remaining; party: Remaining; periodEndsAt: number | null }> {
    const period = this.#period();
    const entries = await this.#store.read(this.#key);
    return {
      collaboration: checkBudget(spentIn(entries, period, null), this.#collaboration).remaining,
      party: checkBudget(spentIn(entries, period, party), this.#perParty).remaining,
      periodEndsAt: this.#periodEnd(period),
    };
  }

  /**
   * Charges `cost` to `party` atomically, before anything is released, and returns what
   * remains; throws CleanRoomError('refused') with the remaining budget when the run would
   * exceed the party's or the collaboration's budget (nothing is charged then).
   *
   * @example
   * ```ts
   * await ledger.charge('p_brand', { epsilon: 0.1 }, { reference: 'run_42' });
   * // Cannot run run_42 as party p_brand: it costs ε=0.1, and ε=0.05 remains of the party's budget this period
   * ```
   */
  async charge(party: string, cost: PrivacyCost, options: { reference?: string } = {}): Promise<BudgetStatus> {
    const { reference } = options;
    const exact = exactCost(cost);
    for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
      const period = this.#period();
      const entries = await this.#store.read(this.#key);
      const status = this.#status(party, exact, entries, period, reference);
      if (!status.allowed) {
        throw new CleanRoomError('refused', status.reason ?? 'Cannot run it: the privacy budget is spent', {
          details: { party, cost: status.cost, remaining: status.remaining, periodEndsAt: status.periodEndsAt, reference },
        });
      }
      const entry: LedgerEntry = { party, cost: serialise(exact), at: this.#clock(), period, ...(reference === undefined ? {} : { reference }) };
      if (await this.#store.append(this.#key, entry, entries.length)) return status;
    }
    throw new CleanRoomError('conflict', `Cannot charge party ${party}: the ledger kept changing during ${this.#maxAttempts} attempts`);
  }

  #status(party: string, cost: Spent, entries: readonly LedgerEntry[], period: number, reference?: string): BudgetStatus {
    const collaboration = checkBudget(addSpent(spentIn(entries, period, null), cost), this.#collaboration);
    const own = checkBudget(addSpent(spentIn(entries, period, party), cost), this.#perParty);
    const before = {
      collaboration: checkBudget(spentIn(entries, period, null), this.#collaboration).remaining,
      party: checkBudget(spentIn(entries, period, party), this.#perParty).remaining,
    };
    const allowed = collaboration.within && own.within;
    const scope = own.within ? 'the collaboration' : "the party's";
    const left = own.within ? before.collaboration : before.party;
    const when = this.#refresh === null ? '' : ' this period';
    const what = reference === undefined ? 'this analysis' : reference;
    return {
      allowed,
      cost: describeCost(cost),
      remaining: allowed ? { collaboration: collaboration.remaining, party: own.remaining } : before,
      periodEndsAt: this.#periodEnd(period),
      reason: allowed
        ? null
        : `Cannot run ${what} as party ${party}: it costs ${describeCost(cost)}, and ${describeRemaining(left, { zcdp: this.#zcdp })} remains of ${scope} budget${when}`,
    };
  }

  #period(): number {
    if (this.#refresh === null) return 0;
    return Math.floor((this.#clock() - this.#refresh.origin) / this.#refresh.periodMs);
  }

  #periodEnd(period: number): number | null {
    return this.#refresh === null ? null : this.#refresh.origin + (period + 1) * this.#refresh.periodMs;
  }
}

/** Entries of this period (or a later one, should the clock have gone back) for one party or all. */
function spentIn(entries: readonly LedgerEntry[], period: number, party: string | null): Spent {
  let spent = ZERO_SPENT;
  for (const e of entries) {
    if (e.period < period || (party !== null && e.party !== party)) continue;
    spent = addSpent(spent, { epsilon: toRational(e.cost.epsilon), delta: toRational(e.cost.delta), rho: toRational(e.cost.rho) });
  }
  return spent;
}

const serialise = (cost: Spent): LedgerEntry['cost'] => {
  const text = (r: Rational): string => `${r.num}/${r.den}`;
  return { epsilon: text(cost.epsilon), delta: text(cost.delta), rho: text(cost.rho) };
};

function validBudget(name: string, budget: PrivacyBudget): PrivacyBudget {
  const epsilon = toRational(budget.epsilon);
  const delta = toRational(budget.delta ?? 0);
  if (epsilon.num <= 0n || delta.num < 0n || delta.num >= delta.den) {
    throw new CleanRoomError('invalid_argument', `Cannot use the ${name} budget ε=${String(budget.epsilon)}, δ=${String(budget.delta ?? 0)}: ε must be > 0 and δ in [0, 1)`);
  }
  return Object.freeze({ epsilon, delta });
}
