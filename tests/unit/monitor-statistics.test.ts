import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chiSquare, jensenShannon, kolmogorovSf, ks2, psi, quantileSorted, wasserstein, zTest } from '../../src/core/monitor';

/** Expected values computed by tests/support/monitor-reference.py with Debian's scipy and numpy. */
const reference = JSON.parse(readFileSync(new URL('../support/monitor-reference.json', import.meta.url), 'utf8')) as {
  samples: Record<string, { reference: number[]; current: number[] }>;
  ks2: { name: string; statistic: number; pValue: number }[];
  kstwo: { n: number; x: number; sf: number }[];
  chiSquare: { reference: number[]; current: number[]; statistic: number; pValue: number }[];
  psi: { name: string; bins: number; psi: number }[];
  wasserstein: { name: string; distance: number }[];
  jensenShannon: { reference: number[]; current: number[]; distance: number }[];
  zTest: { reference: [number, number]; current: [number, number]; statistic: number; pValue: number }[];
  quantiles: { name: string; q: number[]; quantiles: number[] }[];
};

const close = (actual: number, expected: number, label: string) => expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThan(1e-6);

describe('drift statistics match scipy and numpy to 1e-6', () => {
  it('ks2 gives ks_2samp(method="asymp")', () => {
    for (const c of reference.ks2) {
      const { reference: a, current: b } = reference.samples[c.name];
      const r = ks2(a, b);
      close(r.statistic, c.statistic, `${c.name} D`);
      close(r.pValue, c.pValue, `${c.name} p`);
    }
  });

  it('kolmogorovSf gives kstwo.sf over every branch of the method', () => {
    expect(reference.kstwo.length).toBeGreaterThan(150);
    for (const c of reference.kstwo) close(kolmogorovSf(c.n, c.x), c.sf, `n=${c.n} x=${c.x}`);
  });

  it('chiSquare gives chi2_contingency(correction=False)', () => {
    for (const c of reference.chiSquare) {
      const r = chiSquare(c.reference, c.current);
      close(r.statistic, c.statistic, `${c.reference} χ²`);
      close(r.pValue, c.pValue, `${c.reference} p`);
    }
  });

  it('psi bins by the reference quantiles as numpy computes them', () => {
    for (const c of reference.psi) {
      const { reference: a, current: b } = reference.samples[c.name];
      close(c.bins === 10 ? psi(a, b) : psi(a, b, c.bins), c.psi, `${c.name} (${c.bins} bins)`);
    }
    for (const c of reference.quantiles) {
      const sorted = Float64Array.from(reference.samples[c.name].reference).sort();
      c.q.forEach((q, i) => expect(quantileSorted(sorted, q)).toBe(c.quantiles[i]));
    }
  });

  it('wasserstein is scipy.stats.wasserstein_distance over the reference std', () => {
    for (const c of reference.wasserstein) {
      const { reference: a, current: b } = reference.samples[c.name];
      close(wasserstein(a, b), c.distance, c.name);
    }
  });

  it('jensenShannon is scipy.spatial.distance.jensenshannon with base 2', () => {
    for (const c of reference.jensenShannon) close(jensenShannon(c.reference, c.current), c.distance, `${c.reference}`);
  });

  it('zTest is the two-proportion z-test with a two-sided normal p-value', () => {
    for (const c of reference.zTest) {
      const r = zTest(c.reference, c.current);
      close(r.statistic, c.statistic, `${c.reference} z`);
      close(r.pValue, c.pValue, `${c.reference} p`);
    }
  });
});
