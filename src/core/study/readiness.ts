import { DEFAULT_GRID_RESOLUTION, gridSize, validateSpace } from '../search';
import type { FieldError } from '../spec/schema';
import { prunerErrors } from './pruner-checks';
import type { StudySpec } from './types';

/** The most points a grid search may run: past it, Run is disabled and says why. */
export const GRID_CAP = 100_000;

/** What the study form shows about its search space, recomputed at every edit. */
export interface Readiness {
  /** The space's problems, each on its field ('optimizer.lr.step'). */
  errors: FieldError[];
  /** How many points a grid search covers; null while the space is invalid. */
  combinations: number | null;
  /** Why Run is disabled, in a sentence for the user; null when the study can run. */
  blocker: string | null;
}

/** A count for people: grouped digits, or a power of ten once the digits stop meaning much. */
export function countText(n: number): string {
  if (!Number.isFinite(n)) return 'endless';
  return n < 1e15 ? n.toLocaleString('en') : `about 10^${Math.floor(Math.log10(n))}`;
}

/**
 * Checks a study as set up, at every edit: the space's problems by field, the grid's size
 * counted (never listed), the pruner's options (when the spec has its pruner and base
 * experiment), and why it cannot run (an invalid space or pruner option; a grid search over
 * {@link GRID_CAP} points). Cheap whatever the space, so the form never freezes.
 */
export function studyReadiness(spec: Pick<StudySpec, 'space' | 'sampler'> & Partial<Pick<StudySpec, 'pruner' | 'base'>>): Readiness {
  const checked = validateSpace(spec.space);
  const pruning = spec.pruner && spec.base ? prunerErrors(spec.pruner, spec.base.training.epochs) : [];
  if (!checked.ok) {
    const n = checked.errors.length;
    return { errors: [...checked.errors, ...pruning], combinations: null, blocker: `The search space has ${n} problem${n === 1 ? '' : 's'}; see the marked field${n === 1 ? '' : 's'}.` };
  }
  const resolution = typeof spec.sampler.resolution === 'number' ? spec.sampler.resolution : DEFAULT_GRID_RESOLUTION;
  const combinations = gridSize(checked.spec, resolution);
  const blocker =
    pruning.length > 0
      ? `The pruner's settings have ${pruning.length === 1 ? 'a problem' : `${pruning.length} problems`}; see the marked field${pruning.length === 1 ? '' : 's'}.`
      : spec.sampler.kind === 'grid' && combinations > GRID_CAP
        ? `Grid search would run ${countText(combinations)} combinations, over the limit of ${countText(GRID_CAP)}: vary fewer parameters, use coarser steps, or search at random or with TPE.`
        : null;
  return { errors: pruning, combinations, blocker };
}
