import { describe, expect, test } from 'vitest';
import { createPopulationPruner, createPruner, type PrunerTrial } from '../../src/core/search';
import { crc32, hyperbandBracket, hyperbandBrackets } from '../../src/core/search/pruners/hyperband';

const complete = (id: number, intermediate: (number | undefined)[]): PrunerTrial => ({ id, state: 'complete', intermediate });
const running = (id: number, intermediate: (number | undefined)[]): PrunerTrial => ({ id, state: 'running', intermediate });
/** Members 0…n−1 with these values at the step judged. */
const members = (values: number[], first = 0) => values.map((value, k) => ({ id: first + k, value }));

describe('successive halving inside a population', () => {
  const asha = createPopulationPruner({ kind: 'asha', minResource: 1, reductionFactor: 3 });

  test('at a rung the best ⌊n/η⌋ of the members that reached it go on, whatever their order', () => {
    // Six members at rung 0 (step 1): ⌊6/3⌋ = 2 go on, the 0.1 and the 0.2.
    const values = [0.5, 0.1, 0.9, 0.3, 0.7, 0.2];
    expect(asha.prune(1, members(values), [])).toEqual([0, 2, 3, 4]);
    const reversed = members(values).reverse();
    expect(asha.prune(1, reversed, []).map((k) => reversed[k].id).sort()).toEqual([0, 2, 3, 4]);
    // Judged one at a time as each reports, the first member would see only itself and go on.
    expect(createPruner({ kind: 'asha', minResource: 1, reductionFactor: 3 }).shouldPrune(0, 1, 0.5, [running(0, [])])).toBe(false);
  });

  test('between rungs nothing stops; at the next rung earlier trials compete too', () => {
    const history = [running(1, [0.1]), running(5, [0.2])];
    expect(asha.prune(2, [{ id: 1, value: 0.09 }, { id: 5, value: 0.5 }], history)).toEqual([]);
    // Rung 1 sits at step 3: the two members and a finished trial that took 0.03 into it; ⌊3/3⌋ = 1 goes on.
    const finished = complete(7, [0.05, 0.04, 0.03, 0.02]);
    const atTwo = [running(1, [0.1, 0.09]), running(5, [0.2, 0.5])];
    expect(asha.prune(3, [{ id: 1, value: 0.08 }, { id: 5, value: 0.01 }], [...atTwo, finished])).toEqual([0]);
    expect(asha.prune(3, [{ id: 1, value: 0.08 }, { id: 5, value: 0.04 }], [...atTwo, finished])).toEqual([0, 1]);
  });
});

describe('the median rule inside a population', () => {
  test('the other members at the same step are its peers once there are enough', () => {
    const median = createPopulationPruner({ kind: 'median', startupTrials: 4 });
    // 0.9 against 0.5, 0.1, 0.3, 0.7 (median 0.4) and 0.7 against 0.5, 0.1, 0.9, 0.3 (median 0.4)
    // stop; 0.5 against 0.1, 0.9, 0.3, 0.7 (median 0.5) is not worse and goes on.
    expect(median.prune(1, members([0.5, 0.1, 0.9, 0.3, 0.7]), [])).toEqual([2, 4]);
    // Optuna's rule alone counts completed trials only: none yet, nothing stops.
    expect(createPruner({ kind: 'median', startupTrials: 4 }).shouldPrune(2, 1, 0.9, members([0.5, 0.1, 0.9, 0.3, 0.7]).map((m) => running(m.id, [m.value])))).toBe(false);
  });

  test('finished trials count with the members; pruned ones do not; a member is judged by its best value so far', () => {
    const median = createPopulationPruner({ kind: 'median' });
    // Five startup peers needed (Optuna's default): four members and a pruned trial are not enough.
    expect(median.prune(1, members([0.5, 0.1, 0.9, 0.3, 0.7]), [{ id: 8, state: 'pruned', intermediate: [0.05] }])).toEqual([]);
    // With one finished trial at 0.2: 0.5 against 0.1, 0.9, 0.3, 0.7, 0.2 (median 0.3) stops.
    expect(median.prune(1, members([0.5, 0.1, 0.9, 0.3, 0.7]), [complete(9, [0.2, 0.1])])).toEqual([0, 2, 4]);
    // At step 2, member 0 reported 0.15 at step 1: its best, 0.15, is below the median 0.3.
    const history = [running(0, [0.15]), ...[1, 2, 3, 4].map((id) => running(id, [0.5])), complete(9, [0.2, 0.2])];
    expect(median.prune(2, members([0.6, 0.1, 0.9, 0.3, 0.7]), history)).toEqual([2, 4]);
  });
});

describe('Hyperband brackets (Optuna HyperbandPruner)', () => {
  test('CRC-32 is zlib\'s', () => {
    // The standard check value of CRC-32.
    expect(crc32('123456789')).toBe(0xcbf43926);
    // Python: binascii.crc32(b'hb_0') == 2407493257.
    expect(crc32('hb_0')).toBe(2407493257);
  });

  test('brackets and their shares of the trials', () => {
    // ⌊log₃ 20⌋ + 1 = 3 brackets; s = 2, 1, 0: ⌈3·9/3⌉ = 9, ⌈3·3/2⌉ = 5, ⌈3·1/1⌉ = 3.
    expect(hyperbandBrackets(1, 20, 3)).toEqual([9, 5, 3]);
    // 27 = 3³ exactly: 4 brackets; ⌈4·27/4⌉, ⌈4·9/3⌉, ⌈4·3/2⌉, ⌈4/1⌉.
    expect(hyperbandBrackets(1, 27, 3)).toEqual([27, 12, 6, 4]);
    // One bracket when max < min·η.
    expect(hyperbandBrackets(2, 5, 3)).toEqual([1]);
    // binascii.crc32(b'hb_i') % 17 for i = 0…7 is 7, 0, 16, 16, 9, 11, 11, 14.
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => hyperbandBracket('hb', i, [9, 5, 3]))).toEqual([0, 0, 2, 2, 1, 1, 1, 2]);
  });

  test('each bracket halves its own members at its own rungs inside one population', () => {
    const hyperband = createPopulationPruner({ kind: 'hyperband', maxResource: 20, studyName: 'hb' });
    // Brackets 0, 0, 2, 2, 1, 1, 1, 2. Step 1 is a rung of bracket 0 only: of its two members the 0.3 goes on.
    const values = [0.4, 0.3, 0.9, 0.8, 0.7, 0.6, 0.5, 0.1];
    expect(hyperband.prune(1, members(values), [])).toEqual([0]);
    // Step 3 is bracket 0's second rung (member 1 alone goes on) and bracket 1's first: of 0.7, 0.6, 0.5 one goes on.
    const history = values.map((v, id) => running(id, id === 0 ? [v] : [v, v]));
    const survivors = [1, 2, 3, 4, 5, 6, 7].map((id) => ({ id, value: values[id] }));
    expect(hyperband.prune(3, survivors, history).map((k) => survivors[k].id)).toEqual([4, 5]);
  });
});
