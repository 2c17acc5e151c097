import * as v from 'valibot';
import { parseDate } from './dates';
import { inputWidth } from './recipe';
import type { Recipe } from './types';

const finite = v.pipe(v.number(), v.finite());
const name = v.pipe(v.string(), v.minLength(1));

const columnSchema = v.variant('kind', [
  v.object({ name, kind: v.literal('numeric'), fill: finite, shift: finite, scale: v.pipe(finite, v.check((s) => s !== 0, 'a scale of 0')) }),
  v.object({ name, kind: v.literal('categorical'), fill: v.string(), levels: v.array(v.string()), other: v.optional(v.literal(true)) }),
  v.object({ name, kind: v.literal('date'), fill: v.pipe(v.string(), v.check((d) => parseDate(d) !== null, 'a fill that is not a date')), shift: finite, scale: v.pipe(finite, v.check((s) => s !== 0, 'a scale of 0')) }),
]);

const recipeSchema = v.object({
  spec: v.object({ target: name, features: v.array(name) }),
  columns: v.pipe(v.array(columnSchema), v.minLength(1)),
  inputs: v.array(v.string()),
  target: v.variant('kind', [
    v.object({ kind: v.literal('classes'), classes: v.pipe(v.array(name), v.minLength(2)) }),
    v.object({ kind: v.literal('value'), mean: finite, std: v.pipe(finite, v.check((s) => s > 0, 'a std of 0 or less')) }),
  ]),
});

/**
 * What is wrong with a recipe read from a file or a saved run, or null when it can be
 * applied: every column with finite numbers (a nonzero scale), its levels, or a date fill, as many input
 * names as its columns make, and a target of two or more classes or a finite mean and std.
 */
export function checkRecipe(recipe: unknown): string | null {
  const result = v.safeParse(recipeSchema, recipe);
  if (!result.success) {
    const issue = result.issues[0];
    const path = v.getDotPath(issue);
    return `${path ? `${path}: ` : ''}${issue.message}`;
  }
  const parsed = result.output as unknown as Recipe;
  const width = parsed.columns.reduce((n, c) => n + inputWidth(c), 0);
  if (width !== parsed.inputs.length) return `its columns make ${width} inputs, but it names ${parsed.inputs.length}.`;
  return null;
}
