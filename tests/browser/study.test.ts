import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { TrialRecord } from '../../src/core/study/types';
import { openStore, type RunStore } from '../../src/runtime/store';
import type { BackendInfo, BackendPreference } from '../../src/runtime/backend-types';
import { StudyRunner } from '../../src/runtime/study-runner';
import { StudyState } from '../../src/ui/study/study-state.svelte';
import { xorStudy } from '../support/xor-study';

const DB = 'tunelab-study-test';
const spec = xorStudy({
  name: 'test', points: 80, batchSize: 20, epochs: 3, nTrials: 12, workers: 3, seed: 4,
  space: { 'optimizer.lr': { type: 'float', low: 0.001, high: 0.5, log: true }, 'optimizer.momentum': { type: 'float', low: 0, high: 0.95 } },
});

const opened: RunStore[] = [];
beforeEach(() => deleteDB(DB));
afterEach(() => opened.splice(0).forEach((s) => s.close()));

async function studies() {
  const { store, studies } = await openStore(DB);
  opened.push(store);
  return studies;
}

function expectAllComplete(trials: TrialRecord[]) {
  expect(trials.map((t) => t.number)).toEqual([...Array(12).keys()]);
  trials.forEach((t) => {
    expect(t.state).toBe('complete');
    expect(t.epochs).toHaveLength(3);
    expect(t.value).toBe(t.epochs[2].valLoss);
  });
}

describe('studies', () => {
  test('a 12-trial study allowed 3 workers trains as one population in one worker on webgpu, split among 3 on the cpu, and keeps every trial', async () => {
    const cases: [BackendPreference, string[]][] = [['webgpu', ['webgpu']], ['cpu', ['cpu', 'cpu', 'cpu']]];
    for (const [preference, workers] of cases) {
      const store = await studies();
      const record = await store.createStudy(spec);
      const backends: string[] = [];
      const heard: number[][] = [];
      await new StudyRunner(store, record, { onTrials: () => {}, onStatus: () => {}, onBackend: (b) => backends.push(b.name), onKept: (k) => heard.push(k) }, preference).run();
      expect(backends).toEqual(workers);
      const trials = await store.listTrials(record.id);
      expectAllComplete(trials);
      expect((await store.getStudy(record.id))!.status).toBe('complete');
      // The five best trials keep their trained networks (a 2-4-1 network: 17 float32 numbers), whichever worker trained them.
      const best = [...trials].sort((a, b) => a.value! - b.value! || a.number - b.number).slice(0, 5).map((t) => t.number).sort((a, b) => a - b);
      expect(await store.keptWeights(record.id)).toEqual(best.map((number) => ({ number, bytes: 17 * 4 })));
      expect(heard.at(-1)).toEqual(best);
      const kept = (await store.getWeights(record.id, best[0]))!;
      expect(kept.shapes).toEqual([[2, 4], [4], [4, 1], [1]]);
      expect(kept.folds).toBe(1);
      expect(kept.evaluation.val.loss).toBeCloseTo(trials[best[0]].value!, 4);
    }
  });

  test("for 'best available', the first worker times a population of the study's own shape on every backend, and the other workers and the next study remember it", async () => {
    Object.keys(localStorage).filter((k) => k.startsWith('tunelab.calibration.')).forEach((k) => localStorage.removeItem(k));
    const heard: BackendInfo[][] = [];
    for (let i = 0; i < 2; i++) {
      const store = await studies();
      const infos: BackendInfo[] = [];
      heard.push(infos);
      const record = await store.createStudy(spec);
      await new StudyRunner(store, record, { onTrials: () => {}, onStatus: () => {}, onBackend: (b) => infos.push(b) }).run();
      expectAllComplete(await store.listTrials(record.id));
    }
    const [first, ...rest] = heard.flat();
    // Random sampling: the 12 trials are one population where one worker takes them all.
    expect(first.measured!.unit).toBe('12-trial step');
    expect(Object.keys(first.measured!.milliseconds).sort()).toEqual(['cpu', 'webgl', 'webgpu']);
    expect(first.measured!.earlier).toBeUndefined();
    const times = first.measured!.milliseconds;
    expect(first.name).toBe(Object.entries(times).sort((a, b) => a[1]! - b[1]!)[0][0]);
    rest.forEach((info) => expect(info).toMatchObject({ requested: 'auto', name: first.name, measured: { milliseconds: times, earlier: true } }));
    expect(heard[1]).not.toHaveLength(0);
    expect(Object.keys(localStorage).filter((k) => k.startsWith('tunelab.calibration.') && k.includes('|study '))).toHaveLength(1);
  });

  test('a 24-trial study with the median pruner prunes inside its one population, each trial at the epoch it stopped', async () => {
    const store = await studies();
    const base = { ...spec.base, training: { ...spec.base.training, epochs: 6 } };
    const record = await store.createStudy({ ...spec, base, nTrials: 24, workers: 1, pruner: { kind: 'median' } });
    await new StudyRunner(store, record, { onTrials: () => {}, onStatus: () => {} }, 'cpu').run();
    const trials = await store.listTrials(record.id);
    // As tests/unit/study-pruning.test.ts finds for the same 24 trials: 12, 6 and 2 pruned after epochs 1, 2 and 3.
    expect(trials.filter((t) => t.state === 'pruned').map((t) => t.prunedAt).sort()).toEqual([...Array(12).fill(1), ...Array(6).fill(2), 3, 3]);
    trials.forEach((t) => expect(t.epochs).toHaveLength(t.state === 'pruned' ? t.prunedAt! : 6));
    expect(trials.filter((t) => t.state === 'complete')).toHaveLength(4);
  });

  test('a cross-validated study gives each trial the mean over its folds and their spread', async () => {
    const store = await studies();
    const record = await store.createStudy({ ...spec, nTrials: 4, workers: 1, folds: 3 });
    await new StudyRunner(store, record, { onTrials: () => {}, onStatus: () => {} }).run();
    const trials = await store.listTrials(record.id);
    expect(trials.map((t) => t.state)).toEqual(['complete', 'complete', 'complete', 'complete']);
    trials.forEach((t) => {
      expect(t.epochs).toHaveLength(3);
      expect(Number.isFinite(t.value)).toBe(true);
      expect(t.valueStd).toBeGreaterThan(0);
    });
  });

  test('a study cut off mid-way resumes after a reload and ends with every trial complete, none lost or duplicated', async () => {
    const store = await studies();
    const record = await store.createStudy({ ...spec, workers: 2 });
    let first: StudyRunner;
    // Cut off as soon as some trials are done: like closing the tab, running trials stay 'running'.
    // On the cpu the trials split into two groups, which finish at different times.
    first = new StudyRunner(store, record, {
      onTrials: (trials) => trials.some((t) => t.state === 'complete') && first.cancel(),
      onStatus: () => {},
    }, 'cpu');
    await first.run();
    const cut = await store.listTrials(record.id);
    expect(cut.some((t) => t.state === 'complete')).toBe(true);
    expect(cut.filter((t) => t.state === 'complete').length).toBeLessThan(12);

    const reopened = await studies();
    await new StudyRunner(reopened, (await reopened.getStudy(record.id))!, { onTrials: () => {}, onStatus: () => {} }).run();
    const trials = await reopened.listTrials(record.id);
    expectAllComplete(trials);
    // The trials finished before the cut kept their parameters.
    cut.filter((t) => t.state === 'complete').forEach((t) => expect(trials[t.number].params).toEqual(t.params));
  });

  test('a study another screen of this page runs (a size study on the Optimize screen) is listed as running here with its progress, not in another tab', async () => {
    const store = await studies();
    const record = await store.createStudy({ ...spec, nTrials: 4, workers: 1 });
    const screen = new StudyState(store, spec.base);
    // Held paused after its first worker starts, so that the screen reads it mid-run.
    const runner = new StudyRunner(store, record, { onTrials: () => {}, onStatus: () => {} });
    runner.pause();
    const running = runner.run();
    await expect.poll(async () => (await screen.refresh(), screen.here.get(record.id)), { timeout: 30_000 }).toEqual({ finished: 0, total: 4 });
    expect(screen.elsewhere.has(record.id)).toBe(false);
    runner.resume();
    await running;
    await screen.refresh();
    expect(screen.here.size).toBe(0);
    expect((await store.listTrials(record.id)).map((t) => t.state)).toEqual(['complete', 'complete', 'complete', 'complete']);
  });
});
