// A plain-JavaScript network trained the way TensorFlow Playground trains (its nn.ts): one
// object per node, forward and backward per example, weights updated from accumulated
// derivatives after each batch. The peer a teacher would otherwise use; written for this
// benchmark, not taken from the playground.

interface Link { source: Node; dest: Node; weight: number; errorDer: number; accErrorDer: number; numAccumulatedDers: number; velocity: number }
interface Node { bias: number; inputs: Link[]; outputs: Link[]; totalInput: number; output: number; outputDer: number; inputDer: number; accInputDer: number; numAccumulatedDers: number; velocity: number }

const tanh = { out: (x: number) => Math.tanh(x), der: (x: number) => 1 - Math.tanh(x) ** 2 };
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** A network of the given layer sizes (inputs first, one sigmoid output last), tanh hidden units. */
export function buildNetwork(shape: number[], random: () => number): Node[][] {
  const layers: Node[][] = shape.map((n) => Array.from({ length: n }, () => ({ bias: 0.1, inputs: [], outputs: [], totalInput: 0, output: 0, outputDer: 0, inputDer: 0, accInputDer: 0, numAccumulatedDers: 0, velocity: 0 })));
  for (let l = 1; l < layers.length; l++) {
    for (const dest of layers[l]) {
      for (const source of layers[l - 1]) {
        const link: Link = { source, dest, weight: random() - 0.5, errorDer: 0, accErrorDer: 0, numAccumulatedDers: 0, velocity: 0 };
        dest.inputs.push(link);
        source.outputs.push(link);
      }
    }
  }
  return layers;
}

function forward(net: Node[][], x: number[]): number {
  net[0].forEach((n, i) => (n.output = x[i]));
  for (let l = 1; l < net.length; l++) {
    const last = l === net.length - 1;
    for (const n of net[l]) {
      n.totalInput = n.bias;
      for (const link of n.inputs) n.totalInput += link.weight * link.source.output;
      n.output = last ? sigmoid(n.totalInput) : tanh.out(n.totalInput);
    }
  }
  return net[net.length - 1][0].output;
}

function backward(net: Node[][], target: number): void {
  const out = net[net.length - 1][0];
  // Binary cross-entropy through the sigmoid: dL/dz = p − y.
  out.inputDer = out.output - target;
  out.accInputDer += out.inputDer;
  out.numAccumulatedDers++;
  for (const link of out.inputs) {
    link.accErrorDer += out.inputDer * link.source.output;
    link.numAccumulatedDers++;
  }
  for (let l = net.length - 2; l >= 1; l--) {
    for (const n of net[l]) {
      n.outputDer = 0;
      for (const link of n.outputs) n.outputDer += link.weight * link.dest.inputDer;
      n.inputDer = n.outputDer * tanh.der(n.totalInput);
      n.accInputDer += n.inputDer;
      n.numAccumulatedDers++;
      for (const link of n.inputs) {
        link.accErrorDer += n.inputDer * link.source.output;
        link.numAccumulatedDers++;
      }
    }
  }
}

function update(net: Node[][], lr: number, momentum: number): void {
  for (let l = 1; l < net.length; l++) {
    for (const n of net[l]) {
      if (n.numAccumulatedDers > 0) {
        n.velocity = momentum * n.velocity - (lr * n.accInputDer) / n.numAccumulatedDers;
        n.bias += n.velocity;
        n.accInputDer = 0;
        n.numAccumulatedDers = 0;
      }
      for (const link of n.inputs) {
        if (link.numAccumulatedDers > 0) {
          link.velocity = momentum * link.velocity - (lr * link.accErrorDer) / link.numAccumulatedDers;
          link.weight += link.velocity;
          link.accErrorDer = 0;
          link.numAccumulatedDers = 0;
        }
      }
    }
  }
}

/** Trains on (x, y) pairs for `epochs` with batches of `batch`; returns the final mean loss. */
export function trainPlayground(net: Node[][], xs: number[][], ys: number[], epochs: number, batch: number, lr: number, momentum: number): number {
  for (let e = 0; e < epochs; e++) {
    for (let i = 0; i < xs.length; i++) {
      forward(net, xs[i]);
      backward(net, ys[i]);
      if ((i + 1) % batch === 0 || i === xs.length - 1) update(net, lr, momentum);
    }
  }
  let loss = 0;
  xs.forEach((x, i) => {
    const p = Math.min(1 - 1e-7, Math.max(1e-7, forward(net, x)));
    loss -= ys[i] * Math.log(p) + (1 - ys[i]) * Math.log(1 - p);
  });
  return loss / xs.length;
}
