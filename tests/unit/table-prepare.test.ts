import { describe, expect, test } from 'vitest';
import { loadBuiltin } from '../../src/core/data/table/builtins';
import { checkPreprocess } from '../../src/core/data/table/check';
import { parseCsv } from '../../src/core/data/table/parse';
import { prepareTable } from '../../src/core/data/table/prepare';
import { applyRecipe, rawInput } from '../../src/core/data/table/recipe';
import { cellText } from '../../src/core/data/table/rows';
import { defaultPreprocess, proposeTask } from '../../src/core/data/table/task';
import type { PreprocessSpec, Table, TabularSet } from '../../src/core/data/table/types';

async function tableOf(text: string): Promise<Table> {
  const outcome = await parseCsv(text);
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return outcome.table;
}

/** Rows of a set as plain arrays [inputs…, y], sorted by y then first input, to compare regardless of the shuffle. */
function rowsOf(set: TabularSet): number[][] {
  const width = set.x.length / set.n;
  return Array.from({ length: set.n }, (_, i) => [...set.x.slice(i * width, (i + 1) * width), set.y[i]]).sort((a, b) => a.at(-1)! - b.at(-1)! || a[0] - b[0]);
}

const f = Math.fround;
const SMALL = 'x,c,t\n1,a,10\n2,b,20\n3,,30\n,a,40\n6,a,50\n';
const spec = (over: Partial<PreprocessSpec> = {}): PreprocessSpec => ({
  target: 't', task: 'regression', features: ['x', 'c'], missing: 'mean', scaling: 'standardize',
  split: { train: 1, val: 0, test: 0 }, seed: 1, ...over,
});

describe('prepareTable on a hand-checked table', () => {
  test('mean fill, standardization, one-hot with the most frequent level as fill, standardized target', async () => {
    const prepared = prepareTable(await tableOf(SMALL), spec());
    const sd = Math.sqrt(2.8); // x filled with its mean 3: [1, 2, 3, 3, 6], variance (4 + 1 + 0 + 0 + 9) / 5
    expect(prepared.recipe.columns).toEqual([
      { name: 'x', kind: 'numeric', fill: 3, shift: 3, scale: sd },
      { name: 'c', kind: 'categorical', fill: 'a', levels: ['a', 'b'] },
    ]);
    expect(prepared.recipe.inputs).toEqual(['x', 'c=a', 'c=b']);
    expect(prepared.recipe.target).toEqual({ kind: 'value', mean: 30, std: Math.sqrt(200) });
    const ty = (t: number) => f((t - 30) / Math.sqrt(200));
    expect(rowsOf(prepared.train)).toEqual([
      [f(-2 / sd), 1, 0, ty(10)],
      [f(-1 / sd), 0, 1, ty(20)],
      [0, 1, 0, ty(30)], // empty category: filled with "a"
      [0, 1, 0, ty(40)], // empty x: filled with the mean
      [f(3 / sd), 1, 0, ty(50)],
    ]);
    expect(prepared.val.n).toBe(0);
    expect(prepared.test.n).toBe(0);
  });

  test('an input of the picture reads back in its column\'s units: a standardized or min–max number unscaled, a one-hot share as it is', async () => {
    const table = await tableOf(SMALL);
    const standardized = prepareTable(table, spec()).recipe;
    expect(rawInput(standardized, 0)(-2 / Math.sqrt(2.8))).toBeCloseTo(1, 12);
    expect(rawInput(standardized, 0)(0)).toBe(3);
    expect(rawInput(standardized, 2)(0.25)).toBe(0.25);
    const minmax = prepareTable(table, spec({ missing: 'median', scaling: 'minmax' })).recipe;
    expect([0, 0.5, 1].map(rawInput(minmax, 0))).toEqual([1, 3.5, 6]);
  });

  test('median and most-frequent fills, min–max and no scaling', async () => {
    const table = await tableOf(SMALL);
    const median = prepareTable(table, spec({ missing: 'median', scaling: 'minmax' }));
    // Filled with the median 2.5: [1, 2, 3, 2.5, 6], min 1, max 6.
    expect(median.recipe.columns[0]).toEqual({ name: 'x', kind: 'numeric', fill: 2.5, shift: 1, scale: 5 });
    expect(rowsOf(median.train).map((r) => r[0])).toEqual([0, f(0.2), f(0.4), f(0.3), 1]);
    const frequent = prepareTable(table, spec({ missing: 'most-frequent', scaling: 'none' }));
    expect(frequent.recipe.columns[0]).toEqual({ name: 'x', kind: 'numeric', fill: 1, shift: 0, scale: 1 });
    expect(rowsOf(frequent.train).map((r) => r[0])).toEqual([1, 2, 3, 1, 6]);
  });

  test("'drop' leaves out rows with an empty feature; rows without a target are always left out", async () => {
    const table = await tableOf(SMALL + '7,b,\n');
    const dropped = prepareTable(table, spec({ missing: 'drop', scaling: 'none' }));
    expect(dropped.train.n).toBe(3);
    expect(dropped.recipe.columns[0]).toMatchObject({ fill: 3 }); // mean of 1, 2, 6
    expect(prepareTable(table, spec()).train.n).toBe(5);
  });

  test('classification: targets are indices into the classes in natural order', async () => {
    const table = await tableOf('v,k\n1,b10\n2,b2\n3,a\n4,b2\n5,a\n6,b10\n');
    const prepared = prepareTable(table, { ...spec(), target: 'k', task: 'multiclass', features: ['v'], scaling: 'none' });
    expect(prepared.recipe.target).toEqual({ kind: 'classes', classes: ['a', 'b2', 'b10'] });
    expect(rowsOf(prepared.train)).toEqual([[3, 0], [5, 0], [2, 1], [4, 1], [1, 2], [6, 2]]);
  });
});

/** A generated table: x with a trend, a category, a class with shares 60/30/10 %. */
function generated(rows = 100): string {
  const lines = ['x,colour,label'];
  for (let i = 0; i < rows; i++) lines.push(`${(i * 37) % 101},${['red', 'green', 'blue'][i % 3]},${i % 10 < 6 ? 'A' : i % 10 < 9 ? 'B' : 'C'}`);
  return lines.join('\n');
}
const classSpec: PreprocessSpec = {
  target: 'label', task: 'multiclass', features: ['x', 'colour'], missing: 'mean', scaling: 'standardize',
  split: { train: 0.7, val: 0.15, test: 0.15 }, seed: 4,
};

describe('prepareTable: the split and the training statistics', () => {
  test('statistics come from the training part only: changing validation and test values leaves the recipe', async () => {
    const table = await tableOf(generated());
    const before = prepareTable(table, classSpec);
    const check = checkPreprocess(table, classSpec);
    if (!check.ok) throw new Error('spec should pass');
    const x = table.columns[0] as Extract<Table['columns'][number], { kind: 'number' }>;
    const colour = table.columns[1] as Extract<Table['columns'][number], { kind: 'text' }>;
    const changed: Table = {
      rows: table.rows,
      columns: [
        { ...x, values: x.values.map((v, r) => (check.checked.parts.val.includes(r) || check.checked.parts.test.includes(r) ? 1e6 : v)) },
        // A level that only the test part has is unknown to the recipe: all zeros there.
        { ...colour, levels: [...colour.levels, 'violet'], codes: colour.codes.map((c, r) => (r === check.checked.parts.test[0] ? 3 : c)) },
        table.columns[2],
      ],
    };
    const after = prepareTable(changed, classSpec);
    expect(after.recipe).toEqual(before.recipe);
    expect(after.train).toEqual(before.train);
    expect(after.val.x).not.toEqual(before.val.x);
    expect(Array.from(after.test.x.slice(1, 4))).toEqual([0, 0, 0]);
  });

  test('applyRecipe on the raw text of a training row gives exactly that row of train.x', async () => {
    const text = generated() + '\n,green,A\n';
    const table = await tableOf(text);
    const prepared = prepareTable(table, classSpec);
    const check = checkPreprocess(table, classSpec);
    if (!check.ok) throw new Error('spec should pass');
    const width = prepared.recipe.inputs.length;
    check.checked.parts.train.forEach((r, i) => {
      const raw = Object.fromEntries(table.columns.map((c) => [c.name, cellText(c, r) ?? '']));
      expect(applyRecipe(prepared.recipe, raw)).toEqual(prepared.train.x.slice(i * width, (i + 1) * width));
    });
  });

  test('applyRecipe: empty is the fill, an unknown level zeros, a non-number in a numeric column an error naming it', async () => {
    const prepared = prepareTable(await tableOf(SMALL), spec());
    expect(Array.from(applyRecipe(prepared.recipe, { x: '', c: 'NA' }))).toEqual([0, 1, 0]);
    expect(Array.from(applyRecipe(prepared.recipe, { x: ' 3 ', c: 'zzz' }))).toEqual([0, 0, 0]);
    expect(() => applyRecipe(prepared.recipe, { x: 'abc', c: 'a' })).toThrow('“x” is a numeric column, but “abc” is not a number.');
  });

  test('the stratified split keeps the class shares in every part, and the same seed gives the same split', async () => {
    const table = await tableOf(generated(200));
    const prepared = prepareTable(table, classSpec);
    const counts = (set: TabularSet) => [0, 1, 2].map((k) => set.y.filter((y) => y === k).length);
    // 120 A, 60 B, 20 C; each class cut 70/15/15 with rounding.
    expect(counts(prepared.train)).toEqual([84, 42, 14]);
    expect(counts(prepared.val)).toEqual([18, 9, 3]);
    expect(counts(prepared.test)).toEqual([18, 9, 3]);
    expect(prepareTable(table, classSpec)).toEqual(prepared);
    expect(prepareTable(table, { ...classSpec, seed: 5 }).train.x).not.toEqual(prepared.train.x);
  });
});

test('a table of 300 000 rows prepares (no step is quadratic or spreads rows as arguments)', async () => {
  const prepared = prepareTable(await tableOf(generated(300_000)), classSpec);
  expect(prepared.train.n + prepared.val.n + prepared.test.n).toBe(300_000);
  expect(prepared.train.x).toHaveLength(prepared.train.n * 4);
});

describe('prepareTable: specs the table cannot satisfy', () => {
  test.each<[string, Partial<PreprocessSpec>, RegExp]>([
    ['an unknown target', { target: 'nope' }, /no column “nope”/],
    ['an unknown feature', { features: ['x', 'zz'] }, /no column “zz”/],
    ['the target among the features', { features: ['x', 'label'] }, /“label” is the target, so it cannot also be a feature/],
    ['no feature', { features: [] }, /at least one feature/],
    ['binary with three classes', { task: 'binary' }, /3 classes: choose multi-class/],
    ['regression on text', { task: 'regression' }, /holds text/],
    ['shares that do not add up', { split: { train: 0.5, val: 0.2, test: 0.2 } }, /add up to 90 %/],
  ])('%s', async (_, over, message) => {
    const table = await tableOf(generated());
    expect(() => prepareTable(table, { ...classSpec, ...over })).toThrow(message);
  });

  test('a target with a single class', async () => {
    const table = await tableOf('x,k\n1,a\n2,a\n3,a\n4,a\n');
    expect(() => prepareTable(table, { ...classSpec, target: 'k', features: ['x'], task: 'binary' })).toThrow('“k” has a single class (“a”)');
  });

  test('a numeric target with hundreds of values is not a classification', async () => {
    const table = await tableOf('x,y\n' + Array.from({ length: 300 }, (_, i) => `${i % 7},${i}`).join('\n'));
    expect(() => prepareTable(table, { ...classSpec, target: 'y', features: ['x'] })).toThrow('“y” has 300 different values: too many classes');
  });

  test('values near 1e154 standardize without overflow; unscaled, they are refused with the column named', async () => {
    const table = await tableOf('x,t\n1e154,1\n2e154,2\n3e154,3\n');
    const prepared = prepareTable(table, spec({ features: ['x'] }));
    const [x] = prepared.recipe.columns;
    expect(x).toMatchObject({ shift: 2e154 });
    expect((x as { scale: number }).scale / 1e154).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(rowsOf(prepared.train).map((row) => row[0])).toEqual([f(-Math.sqrt(1.5)), 0, f(Math.sqrt(1.5))]);
    expect(() => prepareTable(table, spec({ features: ['x'], scaling: 'none' }))).toThrow(/“x” has values too large to train on \(such as [123].00e\+154\)/);
    const target = await tableOf('x,t\n1,1e300\n2,-1e300\n3,1\n');
    expect(prepareTable(target, spec({ features: ['x'] })).recipe.target).toMatchObject({ kind: 'value' });
  });

  test('too few rows for the split', async () => {
    const table = await tableOf('x,y\n1,2\n2,3\n3,5\n');
    const problem = checkPreprocess(table, { ...spec(), target: 'y', features: ['x'], split: { train: 0.8, val: 0.1, test: 0.1 } });
    expect(problem).toEqual({ ok: false, problems: [{ field: 'split', message: expect.stringMatching(/Too few rows.*3 usable rows give 0 validation rows/) }] });
  });
});

describe('tasks and defaults', () => {
  test('the built-in penguins prepare by default into species with 3 classes, one-hot islands and sex', async () => {
    const penguins = (await loadBuiltin('builtin:penguins'))!;
    const defaults = defaultPreprocess(penguins);
    expect(defaults).toEqual({
      target: 'Species', task: 'multiclass',
      features: ['Island', 'Bill length (mm)', 'Bill depth (mm)', 'Flipper length (mm)', 'Body mass (g)', 'Sex'],
      missing: 'mean', scaling: 'standardize', split: { train: 0.7, val: 0.15, test: 0.15 }, seed: 1,
    });
    const prepared = prepareTable(penguins.table, defaults);
    expect(prepared.recipe.target).toEqual({ kind: 'classes', classes: ['Adelie', 'Chinstrap', 'Gentoo'] });
    expect(prepared.recipe.inputs).toEqual([
      'Island=Torgersen', 'Island=Biscoe', 'Island=Dream', 'Bill length (mm)', 'Bill depth (mm)', 'Flipper length (mm)', 'Body mass (g)', 'Sex=MALE', 'Sex=FEMALE',
    ]);
    expect(prepared.train.n + prepared.val.n + prepared.test.n).toBe(344);
    for (const v of prepared.train.x) expect(Number.isFinite(v)).toBe(true);
  });

  test('cars propose regression of fuel economy; a table without a suggestion its last column, or else its last categorical one', async () => {
    const cars = (await loadBuiltin('builtin:cars'))!;
    expect(defaultPreprocess(cars)).toMatchObject({ target: 'Miles_per_Gallon', task: 'regression' });
    expect(defaultPreprocess(cars).features).not.toContain('Name');
    expect(prepareTable(cars.table, defaultPreprocess(cars)).recipe.target).toMatchObject({ kind: 'value' });
    const outcome = await parseCsv(generated());
    if (!outcome.ok) throw new Error('parses');
    const dataset = { id: 'g', name: 'g', source: 'file' as const, createdAt: 0, bytes: 0, ...outcome };
    expect(defaultPreprocess(dataset)).toMatchObject({ target: 'label', task: 'multiclass', features: ['x', 'colour'] });
    expect(proposeTask(outcome.table, outcome.profiles, 'x')).toBe('regression');
    const of = async (csv: string) => {
      const parsed = await parseCsv(csv);
      if (!parsed.ok) throw new Error(parsed.problem.message);
      return defaultPreprocess({ id: 'h', name: 'h', source: 'file' as const, createdAt: 0, bytes: 0, ...parsed });
    };
    // Prices recorded last are what a houses table is for, not its neighbourhood.
    const houses = ['sqft,neighborhood,price', ...Array.from({ length: 60 }, (_, i) => `${500 + 37 * i},${['North', 'South', 'East'][i % 3]},${100000 + 4001 * i}`)];
    expect(await of(houses.join('\n'))).toMatchObject({ target: 'price', task: 'regression', features: ['sqft', 'neighborhood'] });
    // A last column that cannot be a target (an identifier) leaves the last categorical one.
    const withIds = ['x,label,ref', ...Array.from({ length: 60 }, (_, i) => `${(i * 37) % 101},${i % 2 ? 'yes' : 'no'},ref-${i}`)];
    expect(await of(withIds.join('\n'))).toMatchObject({ target: 'label', task: 'binary' });
  });
});
