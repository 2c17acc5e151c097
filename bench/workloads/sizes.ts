// The sizes of the workloads, in a module without tfjs so that the page can read them cheaply.

/** Hidden layer widths of the benchmark network (tanh); the output is one sigmoid unit. */
export const HIDDEN_UNITS = [16, 16];

/** Examples per optimizer step. */
export const BATCH_SIZE = 32;

/** Epochs of a full W1 run and of each W2 trial, before any scaling down. */
export const FULL_EPOCHS = 20;

/** The learning rates of the W2 grid (SGD with momentum). */
export const GRID_LRS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];

/** The momentum values of the W2 grid. */
export const GRID_MOMENTA = [0, 0.5, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99];

/** Trials in the W2 study: every pair of the grid. */
export const TRIALS = GRID_LRS.length * GRID_MOMENTA.length;
