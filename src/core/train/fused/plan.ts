import type { DistillOptions } from '../../compress/distill';
import type { FakeQuantSettings } from '../../compress/model';
import type { LossKind } from '../../model/loss';
import type { Activation } from '../../model/types';
import { RULE_HYPERS, type CompiledRule } from '../../optim/compiled-rule';

/**
 * The hyperparameter table's columns, one row per member: the rule's constants (its
 * learning rate already zero for a member that no longer trains) and the L1 and 2·L2 rates.
 */
export const HYPER_COLUMNS = [
  'lr', 'momentum', 'alpha', 'beta1', 'beta2', 'eps', 'weightDecay',
  'oneMinusAlpha', 'oneMinusBeta1', 'oneMinusBeta2', 'l1', 'twoL2',
] as const;

/** One of {@link HYPER_COLUMNS}. */
export type HyperColumn = (typeof HYPER_COLUMNS)[number];

/**
 * Where a fused step reads each of the compiled rule's hyperparameters ({@link RULE_HYPERS}, in
 * order): a column of the member's row of the hyperparameter table, or, for the bias
 * corrections, a column of its row of the step's corrections [P, 2].
 */
export const RULE_HYPER_SOURCES: ({ table: number } | { correction: number })[] = RULE_HYPERS.map((name) =>
  name === 'biasCorrection1' ? { correction: 0 } : name === 'biasCorrection2' ? { correction: 1 } : { table: HYPER_COLUMNS.indexOf(name) },
);

/**
 * What a fused training step computes, fixed for a population: the network, the loss, the
 * rule, and where each member's values sit in the state. A member's state is one record:
 * its parameters (layer after layer, each [in + 1, out] row-major with the bias last, as a
 * `NetworkParams` variable holds one member), then each slot of the rule over all
 * parameters, then the epoch's sums of the loss and of the right predictions.
 */
export interface FusedPlan {
  /** Members P. */
  members: number;
  /** Each layer's [in, out]. */
  widths: [number, number][];
  /** Each hidden layer's activation. */
  activations: Activation[];
  kind: LossKind;
  /** The largest batch. */
  batch: number;
  rule: CompiledRule;
  /** Whether dropout masks are given. */
  dropout: boolean;
  /** Whether any member has an L1 or L2 rate. */
  penalties: boolean;
  /**
   * Whether weight masks are given ([P, params], 1 keeps, 0 prunes): a pruned parameter's
   * gradient is zeroed before clipping, so a weight that starts at 0 stays 0 under every rule
   * (as torch.nn.utils.prune's weight_orig·mask, whose masked entries get no gradient).
   */
  pruning: boolean;
  /** Clip each member's gradient to this global norm; 0 for no clipping. */
  clipNorm: number;
  /**
   * Quantization-aware training, or null: the forward and backward passes use the kernels
   * fake-quantized, the update applies to the float parameters (straight-through); with
   * activations, each hidden layer's observed [min, max] is kept in the record after the sums.
   */
  quantization: FakeQuantSettings | null;
  /**
   * Knowledge distillation (K classes), or null: each training target row is the teacher's
   * softmax at T then the one-hot label, [p_T, y], and a step's loss is Hinton's
   * α·T²·KL(p_T ‖ softmax(z/T)) + (1 − α)·CE(z, y), of gradient α·T·(softmax(z/T) − p_T) +
   * (1 − α)·(softmax(z) − y). Evaluation keeps the cross-entropy on the labels.
   */
  distill: DistillOptions | null;
  /**
   * Each class's weight in the training loss (classification), or null: a point's loss and
   * its gradient are multiplied by its class's weight, the mean still over the batch's points,
   * as Keras' class_weight. Validation losses stay unweighted.
   */
  classWeights: number[] | null;
  /** Offset of each layer's parameters in the record. */
  offsets: number[];
  /** Parameters of one member. */
  params: number;
  /** Offset of the two sums in the record. */
  sums: number;
  /** Offset of the activation observers in the record: each hidden layer's [min, max] (with activation quantization). */
  observers: number;
  /** Values in one member's record. */
  record: number;
}

/** The plan of a population; see {@link FusedPlan}. */
export function fusedPlan(fixed: Omit<FusedPlan, 'offsets' | 'params' | 'sums' | 'observers' | 'record'>): FusedPlan {
  const offsets: number[] = [];
  let params = 0;
  for (const [i, o] of fixed.widths) {
    offsets.push(params);
    params += (i + 1) * o;
  }
  const sums = params * (1 + fixed.rule.slots.length);
  const observers = fixed.quantization?.activations ? 2 * fixed.activations.length : 0;
  return { ...fixed, offsets, params, sums, observers: sums + 2, record: sums + 2 + observers };
}

/** Where a step's batch and masks are: rows [start, start + rows) of the epoch's layout. */
export interface StepWindow {
  start: number;
  rows: number;
  /** 1 at an epoch's first step: the sums start again from this batch. */
  fresh: number;
  /** The schedule's factor on every learning rate. */
  lrFactor: number;
}

/** The width of a training step's target rows: the teacher's distribution and the label for distillation, K one-hot for K classes, else 1. */
export function stepTargetWidth(plan: Pick<FusedPlan, 'kind' | 'widths' | 'distill'>): number {
  const K = plan.widths[plan.widths.length - 1][1];
  return plan.distill ? 2 * K : plan.kind === 'multiclass' ? K : 1;
}
