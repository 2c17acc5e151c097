import { describe, expect, it } from 'vitest';
import { chooseTest, datasetDrift, featureDrift, ks2, psi, wasserstein } from '../../src/core/monitor';

const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe("Evidently's data-drift preset", () => {
  it('chooses the test by column kind, reference size and distinct values', () => {
    expect(chooseTest('numeric', 1000, 6)).toBe('ks');
    expect(chooseTest('numeric', 1000, 5)).toBe('chi-square');
    expect(chooseTest('numeric', 1000, 2)).toBe('z');
    expect(chooseTest('categorical', 200, 3)).toBe('chi-square');
    expect(chooseTest('categorical', 200, 2)).toBe('z');
    expect(chooseTest('numeric', 1001, 6)).toBe('wasserstein');
    expect(chooseTest('numeric', 1001, 5)).toBe('jensen-shannon');
    expect(chooseTest('categorical', 5000, 2)).toBe('jensen-shannon');
  });

  it('reports a numeric feature with its test, missing share and PSI', () => {
    const reference = range(100, (i) => i);
    const current = [...range(80, (i) => i + 30), NaN, NaN, NaN, NaN, NaN];
    const drift = featureDrift({ name: 'x', kind: 'numeric', reference, current })!;
    const present = current.slice(0, 80);
    expect(drift.test).toBe('ks');
    expect(drift.statistic).toBe(ks2(reference, present).statistic);
    expect(drift.score).toBe(ks2(reference, present).pValue);
    expect(drift.drifted).toBe(drift.score <= 0.05);
    expect(drift.psi).toBe(psi(reference, present));
    expect(drift.missing).toEqual({ reference: 0, current: 5 / 85 });
  });

  it('uses the normed Wasserstein distance past 1000 reference rows, with threshold 0.1', () => {
    const reference = range(2000, (i) => Math.sin(i) * 3);
    const near = reference.map((v) => v + 0.05);
    const far = reference.map((v) => v + 1);
    const a = featureDrift({ name: 'x', kind: 'numeric', reference, current: near })!;
    const b = featureDrift({ name: 'x', kind: 'numeric', reference, current: far })!;
    expect(a.test).toBe('wasserstein');
    expect(a.score).toBeCloseTo(wasserstein(reference, near), 12);
    expect(a.drifted).toBe(false);
    expect(b.drifted).toBe(true);
  });

  it('names categories the reference never had', () => {
    const reference = [...Array(30).fill('a'), ...Array(30).fill('b'), ...Array(30).fill('c')];
    const current = [...Array(10).fill('a'), ...Array(5).fill('d'), ...Array(8).fill('e'), undefined];
    const drift = featureDrift({ name: 'island', kind: 'categorical', reference, current })!;
    expect(drift.test).toBe('chi-square');
    expect(drift.unseen).toEqual([{ value: 'e', count: 8 }, { value: 'd', count: 5 }]);
    expect(drift.missing.current).toBeCloseTo(1 / 24, 12);
    expect(drift.drifted).toBe(true);
  });

  it('calls the data set drifted when at least half its features are, drifted features first', () => {
    const reference = range(200, (i) => i % 50);
    const same = { name: 'same', kind: 'numeric' as const, reference, current: reference };
    const moved = { name: 'moved', kind: 'numeric' as const, reference, current: reference.map((v) => v + 25) };
    const half = datasetDrift([same, moved]);
    expect(half.features.map((f) => f.name)).toEqual(['moved', 'same']);
    expect(half).toMatchObject({ drifted: 1, share: 0.5, datasetDrifted: true });
    const third = datasetDrift([same, { ...same, name: 'same too' }, moved]);
    expect(third).toMatchObject({ drifted: 1, datasetDrifted: false });
  });
});
