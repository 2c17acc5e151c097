import type { Arithmetic } from '../arithmetic';

/**
 * The hyperparameters of one step as the rules read them, each a value of the rule's
 * arithmetic (a tensor made once: a number would become a new tensor, and on a GPU a new
 * upload, at every use), with the derived constants computed in double precision where the
 * inputs are numbers.
 */
export interface StepHypers<T> {
  lr: T;
  momentum: T;
  alpha: T;
  beta1: T;
  beta2: T;
  eps: T;
  weightDecay: T;
  /** 1 − α, 1 − β1, 1 − β2: in float32, 1 − 0.999 would lose five digits. */
  oneMinusAlpha: T;
  oneMinusBeta1: T;
  oneMinusBeta2: T;
  /** 1 − β1^t and 1 − β2^t for this step (1 for rules that do not ask for them). */
  biasCorrection1: T;
  biasCorrection2: T;
  /** Whether weight decay is on (a zero skips its operations). */
  usesWeightDecay: boolean;
  /** Whether momentum is on (RMSProp's optional momentum reads it). */
  usesMomentum: boolean;
}

/** The state of one parameter under one rule: a value of θ's shape per slot name. */
export type RuleState<T> = Record<string, T>;

/**
 * One update rule, as a pure function written over {@link Arithmetic}: given a parameter θ,
 * its gradient g and the rule's state slots, it returns θ's new value and the new state. Every
 * slot starts at zero. A new optimizer kind is a new module exporting one of these and one row
 * in the Optimizer's table; the fused training steps pick it up from the same table.
 */
export interface UpdateRule {
  /** Names of the state slots, each of θ's shape, starting at zero. */
  readonly slots: readonly string[];
  /** Whether it reads Adam's bias corrections (computed per step only for such rules). */
  readonly biasCorrected?: boolean;
  update<T>(o: Arithmetic<T>, theta: T, grad: T, state: RuleState<T>, h: StepHypers<T>): { theta: T; state: RuleState<T> };
}
