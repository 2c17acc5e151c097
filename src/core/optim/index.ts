/** The optimizers of tunelab: one implementation serving training, populations and the landscape lab. */
export { Optimizer } from './optimizer';
export { OPTIMIZER_DEFAULTS, resolveHypers, type NumericHypers } from './defaults';
export { lrFactor } from './schedule';
export { clipByGlobalNorm } from './clip';
export { OPTIMIZER_KINDS, type Hyper, type OptimizerHypers, type OptimizerKind, type OptimizerSpec } from './types';
