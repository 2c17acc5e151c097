import { ACTIVATIONS } from '../../core/model/types';
import { OPTIMIZER_KINDS } from '../../core/optim/types';

/** A hyperparameter the study editor offers, with the range it proposes when it is varied. */
export interface SpaceRow {
  /** The parameter's name in a search space (a path into the experiment, see core/search). */
  name: string;
  label: string;
  /** The definition proposed when the user switches the row to "vary". */
  proposal: Record<string, unknown>;
}

/**
 * Every hyperparameter a study may vary, in the order the editor lists them. Conditional ones
 * (momentum only under momentum-type optimizers, betas only under Adam) carry their condition.
 */
export const SPACE_ROWS: SpaceRow[] = [
  { name: 'optimizer.lr', label: 'Learning rate', proposal: { type: 'float', low: 1e-4, high: 1, log: true } },
  { name: 'optimizer.kind', label: 'Optimizer', proposal: { type: 'categorical', choices: [...OPTIMIZER_KINDS] } },
  { name: 'optimizer.momentum', label: 'Momentum μ', proposal: { type: 'float', low: 0, high: 0.99, condition: { param: 'optimizer.kind', in: ['momentum', 'nesterov', 'rmsprop'] } } },
  { name: 'optimizer.beta1', label: 'β₁', proposal: { type: 'float', low: 0.5, high: 0.99, condition: { param: 'optimizer.kind', in: ['adam', 'adamw'] } } },
  { name: 'optimizer.beta2', label: 'β₂', proposal: { type: 'float', low: 0.9, high: 0.9999, condition: { param: 'optimizer.kind', in: ['adam', 'adamw'] } } },
  { name: 'optimizer.weightDecay', label: 'Weight decay', proposal: { type: 'float', low: 1e-6, high: 0.1, log: true } },
  { name: 'training.batchSize', label: 'Batch size', proposal: { type: 'categorical', choices: [8, 16, 32, 64] } },
  { name: 'training.epochs', label: 'Epochs', proposal: { type: 'int', low: 10, high: 100, step: 10 } },
  { name: 'model.layers', label: 'Hidden layers', proposal: { type: 'int', low: 0, high: 4 } },
  { name: 'model.units', label: 'Units per layer', proposal: { type: 'int', low: 2, high: 32, log: true } },
  { name: 'model.activation', label: 'Activation', proposal: { type: 'categorical', choices: [...ACTIVATIONS] } },
  { name: 'model.l2', label: 'L2 rate', proposal: { type: 'float', low: 1e-5, high: 0.1, log: true } },
  { name: 'model.l1', label: 'L1 rate', proposal: { type: 'float', low: 1e-5, high: 0.1, log: true } },
  { name: 'model.dropout', label: 'Dropout', proposal: { type: 'float', low: 0, high: 0.5 } },
  { name: 'seed', label: 'Seed', proposal: { type: 'int', low: 0, high: 1000 } },
];

/** The parameters of a size-against-accuracy study (see core/compress/size-study), which the editor does not offer. */
const SIZE_STUDY_LABELS: Record<string, string> = { 'compress.sparsity': 'Sparsity', 'compress.bits': 'Bits', 'compress.distilled': 'Distilled' };

/**
 * A parameter's name as the screens show it ("Learning rate" for optimizer.lr); a path of an
 * imported study that tunelab does not know is shown as it is. Exports keep the paths.
 */
export function paramLabel(name: string): string {
  return SPACE_ROWS.find((r) => r.name === name)?.label ?? SIZE_STUDY_LABELS[name] ?? name;
}
