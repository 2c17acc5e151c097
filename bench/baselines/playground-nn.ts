// The peer a teacher would otherwise open: a network in plain JavaScript trained the way
// TensorFlow Playground's nn.ts trains. One object per node and per link, forward and
// backward propagation one example at a time, derivatives accumulated on the links and applied
// once per batch. Written for this benchmark in that style (not taken from the playground);
// it adds momentum, a sigmoid output with binary cross-entropy, and seeded weights, so that it
// trains the same network with the same optimizer as tunelab's W2 trials.

/** A link between two nodes of adjacent layers, with its weight and derivative bookkeeping. */
export interface Link {
  source: Neuron;
  dest: Neuron;
  weight: number;
  /** dE/dw summed over the examples since the last update. */
  accErrorDer: number;
  /** Examples that contributed to accErrorDer. */
  numAccumulatedDers: number;
  /** Momentum buffer: the last update applied to the weight. */
  velocity: number;
}

/** A node: its bias, links, the values of the last forward pass and its derivatives. */
export interface Neuron {
  bias: number;
  inputLinks: Link[];
  outputs: Link[];
  /** Weighted sum of the inputs plus the bias, from the last forward pass. */
  totalInput: number;
  /** Activation of totalInput. */
  output: number;
  /** Error derivative with respect to this node's total input. */
  inputDer: number;
  /** inputDer summed since the last update: dE/db for the bias. */
  accInputDer: number;
  /** Examples that contributed to accInputDer. */
  numAccumulatedDers: number;
  /** Momentum buffer of the bias. */
  velocity: number;
}

/** Layers of nodes, inputs first; the last layer is one sigmoid node, the others tanh. */
export type Network = Neuron[][];

/** One labelled point: the inputs and the 0/1 class. */
export interface Example {
  inputs: number[];
  label: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function neuron(): Neuron {
  return { bias: 0.1, inputLinks: [], outputs: [], totalInput: 0, output: 0, inputDer: 0, accInputDer: 0, numAccumulatedDers: 0, velocity: 0 };
}

/**
 * A fully connected network of the given widths (inputs first, one output last), weights
 * uniform in [−0.5, 0.5) as the playground draws them, from `random` (the caller's seeded PRNG).
 */
export function buildNetwork(widths: number[], random: () => number): Network {
  const network = widths.map((width) => Array.from({ length: width }, neuron));
  for (let l = 1; l < network.length; l++) {
    for (const dest of network[l]) {
      for (const source of network[l - 1]) {
        const link: Link = { source, dest, weight: random() - 0.5, accErrorDer: 0, numAccumulatedDers: 0, velocity: 0 };
        dest.inputLinks.push(link);
        source.outputs.push(link);
      }
    }
  }
  return network;
}

/** Propagates one example's inputs forward and returns the output, a probability. */
export function forwardProp(network: Network, inputs: number[]): number {
  network[0].forEach((node, i) => (node.output = inputs[i]));
  const last = network.length - 1;
  for (let l = 1; l <= last; l++) {
    for (const node of network[l]) {
      node.totalInput = node.bias;
      for (const link of node.inputLinks) node.totalInput += link.weight * link.source.output;
      node.output = l === last ? sigmoid(node.totalInput) : Math.tanh(node.totalInput);
    }
  }
  return network[last][0].output;
}

/**
 * Propagates the error of the last forward pass backwards and accumulates every derivative.
 * At the sigmoid output with binary cross-entropy, dE/dz = p − y; through tanh, ×(1 − tanh²).
 */
export function backProp(network: Network, label: number): void {
  const last = network.length - 1;
  for (let l = last; l >= 1; l--) {
    for (const node of network[l]) {
      if (l === last) {
        node.inputDer = node.output - label;
      } else {
        let outputDer = 0;
        for (const link of node.outputs) outputDer += link.weight * link.dest.inputDer;
        node.inputDer = outputDer * (1 - node.output * node.output);
      }
      node.accInputDer += node.inputDer;
      node.numAccumulatedDers++;
      for (const link of node.inputLinks) {
        link.accErrorDer += node.inputDer * link.source.output;
        link.numAccumulatedDers++;
      }
    }
  }
}

/** SGD with momentum (v ← μv − lr·g, θ ← θ + v) from the mean accumulated derivatives, then resets them. */
export function updateWeights(network: Network, lr: number, momentum: number): void {
  for (let l = 1; l < network.length; l++) {
    for (const node of network[l]) {
      if (node.numAccumulatedDers > 0) {
        node.velocity = momentum * node.velocity - (lr * node.accInputDer) / node.numAccumulatedDers;
        node.bias += node.velocity;
        node.accInputDer = 0;
        node.numAccumulatedDers = 0;
      }
      for (const link of node.inputLinks) {
        if (link.numAccumulatedDers === 0) continue;
        link.velocity = momentum * link.velocity - (lr * link.accErrorDer) / link.numAccumulatedDers;
        link.weight += link.velocity;
        link.accErrorDer = 0;
        link.numAccumulatedDers = 0;
      }
    }
  }
}

/** Binary cross-entropy of one prediction `p` against `label` (probabilities clipped as Keras does). */
function crossEntropy(p: number, label: number): number {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p));
  return -(label * Math.log(q) + (1 - label) * Math.log(1 - q));
}

/** Mean binary cross-entropy of the network on `examples`. */
export function meanLoss(network: Network, examples: Example[]): number {
  let sum = 0;
  for (const { inputs, label } of examples) sum += crossEntropy(forwardProp(network, inputs), label);
  return sum / examples.length;
}

/**
 * One epoch of the playground's `oneStep` doing exactly the work of tunelab's epoch: every
 * training example in order, its loss added to the epoch's running mean as it passes, an update
 * after each `batchSize` examples, then one pass over the validation examples. Returns the
 * training loss (the running mean).
 */
export function trainEpoch(network: Network, train: Example[], test: Example[], batchSize: number, lr: number, momentum: number): number {
  let sum = 0;
  train.forEach((example, i) => {
    sum += crossEntropy(forwardProp(network, example.inputs), example.label);
    backProp(network, example.label);
    if ((i + 1) % batchSize === 0 || i === train.length - 1) updateWeights(network, lr, momentum);
  });
  meanLoss(network, test);
  return sum / train.length;
}
