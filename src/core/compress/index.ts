/**
 * Making a trained network smaller and a small data set go further: pruning masks, quantization
 * with PyTorch's MinMax observer conventions, the knowledge-distillation loss, and data
 * augmentation (Gaussian jitter, mixup, SMOTE). Pure functions, checked against PyTorch.
 */
export { magnitudeMask, neuronMask, globalMagnitudeMasks, kernelMaskOfNeurons, applyMask, sparsity, pruneCount, checkAmount } from './prune';
export { quantize, checkBits, levelRange, roundHalfEven, observerParams, fakeQuantized, type Quantized, type QuantizeOptions } from './quantize';
export { distillationLoss, type DistillOptions } from './distill';
export { gaussianJitter, mixup, betaSample, smote, smoteNeighbours, type Mixed } from './augment';
export { pruneMasks, exportDtypes, iterativeAmount, masked, quantizeWeights, packedBytes, keptBytes, keptPerLayer, compressedBytes, compressionQuantization, ACTIVATION_BITS, type PruneMethod, type PruneSettings, type QuantizeSettings, type FakeQuantSettings, type QuantizedWeights } from './model';
export { optimizeModel, scoreModel, evaluateWeights, fineTune, distill, teacherProbabilities, teacherLogits, type OptimizeSettings, type PruneStage, type QuantizeStage, type ModelScore, type OptimizeResult, type DistillSettings, type DistillResult } from './optimize';
export { DEFAULT_OPTIMIZE, DEFAULT_DISTILL, DEFAULT_AUGMENT, DEFAULT_REBALANCE, DEFAULT_SWEEP, PRUNE_METHODS, validateOptimize, validateRebalance, validateSweep, validateDistill, validateAugment, optimizeSettings, sourceProblem, distillProblem, teacherProblem, studentLayers, taskOf, type OptimizeSpec, type DistillSpec, type RebalanceSpec, type SweepSpec, type SourceRun } from './spec';
export { weightHistogram, type WeightHistogram } from './histogram';
export { augmentTrain, compareAugmentation, smallData, type AugmentSettings, type Augmented, type AugmentOutcome } from './augment-data';
export { decisionComparison, pictureAxes, type DecisionComparison } from './picture';
export { rebalance, type RebalanceResult } from './rebalance';
export { balancedClassWeights } from '../train/class-weights';
export { sizeAccuracyStudy, sizePoints, denseReference, type SizeStudySettings, type SizePoint } from './size-study';
export { trainCompressed, type CompressionSource } from './compressed-training';
