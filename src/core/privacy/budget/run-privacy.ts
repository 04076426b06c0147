/**
 * The privacy accounting of one DP release. `cost` in words (`ε=0.5, δ=1e-7`), `charged`
 * as numbers (0 for a cached release), and what remained of each budget once it was charged.
 */
export interface RunPrivacy {
  mechanism: 'laplace' | 'gaussian';
  cost: string;
  charged: { epsilon: number; delta: number; rho: number };
  remaining: { collaboration: { epsilon: number; delta: number; rho: number }; party: { epsilon: number; delta: number; rho: number } };
  /** Epoch ms when the budgets refresh; null when they never do. */
  periodEndsAt: number | null;
}
