/** Input features computed from (x1, x2), as in TensorFlow Playground. */
export const FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] as const;
/** One of {@link FEATURES}. */
export type FeatureId = (typeof FEATURES)[number];

/** Activations a hidden layer may use. */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear', 'elu', 'gelu'] as const;
/** One of {@link ACTIVATIONS}. */
export type Activation = (typeof ACTIVATIONS)[number];

/** One hidden layer: its width and activation. */
export interface LayerSpec {
  units: number;
  activation: Activation;
}

/**
 * A network as data. The output layer follows from the problem: one sigmoid unit with binary
 * cross-entropy for classification, one linear unit with mean squared error for regression.
 */
export interface ModelSpec {
  /** Inputs fed to the network, at least one. */
  features: FeatureId[];
  /** 0 to 8 hidden layers of 1 to 64 units. */
  hidden: LayerSpec[];
  /** L1 penalty rate on weights (not biases), added to the loss. */
  l1: number;
  /** L2 penalty rate on weights (not biases), added to the loss. */
  l2: number;
  /** Dropout rate after each hidden layer during training, 0 to 0.9. */
  dropout: number;
}
