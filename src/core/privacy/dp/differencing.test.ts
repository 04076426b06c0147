import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { MemoryLedgerStore } from '../budget/ledger-store.js';
import { countSensitivity } from './contribution-bounds.js';
import { sampleNoise } from './mechanism.js';
import { mechanismFor, noisyCount } from './noisy-aggregate.js';
import { PrivacyLedger } from '../budget/privacy-ledger.js';
import { seededRandomSource } from './random-source.js';

const bounds = { maxGroupsPerPerson: 1, maxRowsPerGroup: 1 };

describe('differencing: two counts that differ by one person', () => {
  it('bounds the likelihood ratio of every output by e^ε (within sampling error)', () => {
    const epsilon = 0.5;
    const rng = seededRandomSource(2024);
    const n = 150_000;
    // The mechanism noisyCount uses, drawn directly: noisyCount's per-call formatting is not under test.
    const mechanism = mechanismFor(countSensitivity(bounds), { epsilon });
    const histogram = (trueCount: number): Map<number, number> => {
      const h = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const v = trueCount + Number(sampleNoise(mechanism, rng));
        h.set(v, (h.get(v) ?? 0) + 1);
      }
      return h;
    };
    const without = histogram(100);
    const withPerson = histogram(101);
    let checked = 0;
    for (const [value, a] of without) {
      const b = withPerson.get(value) ?? 0;
      if (a < 1500 || b < 1500) continue;
      checked++;
      // ln(a/b) has a standard error ≈ √(1/a + 1/b); allow 5 of them above ε.
      const slack = 5 * Math.sqrt(1 / a + 1 / b);
      expect(Math.abs(Math.log(a / b)), `output ${value}`).toBeLessThanOrEqual(epsilon + slack);
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('caps the best guess of the person’s presence at e^ε/(1+e^ε) accuracy', () => {
    const epsilon = 0.5;
    const rng = seededRandomSource(7);
    const n = 40_000;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const present = (rng.nextUint32() & 1) === 1;
      const v = noisyCount(present ? 101 : 100, { bounds, budget: { epsilon }, rng }).value;
      // The likelihood-ratio test is the optimal attack for these two symmetric hypotheses.
      if (v >= 101 === present) correct++;
    }
    const cap = Math.exp(epsilon) / (1 + Math.exp(epsilon)); // ≈ 0.6225
    expect(correct / n).toBeLessThanOrEqual(cap + 5 * Math.sqrt(0.25 / n));
  });

  it('cannot average the noise away: the ledger refuses repeats once the budget is spent', async () => {
    const ledger = new PrivacyLedger({ store: new MemoryLedgerStore(), key: 'c', budget: { collaboration: { epsilon: 1 } }, clock: () => 0 });
    const rng = seededRandomSource(3);
    const released: number[] = [];
    const run = async (): Promise<void> => {
      await ledger.charge('attacker', { epsilon: 0.25 }, { reference: 'count' });
      released.push(noisyCount(101, { bounds, budget: { epsilon: 0.25 }, rng }).value);
    };
    for (let i = 0; i < 4; i++) await run();
    await expect(run()).rejects.toSatisfy((e) => e instanceof CleanRoomError && e.code === 'refused');
    expect(released).toHaveLength(4);
  });
});
