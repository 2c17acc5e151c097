// W3's and W4's peer: the loops a careful engineer writes by hand for one surface and one
// optimizer, in plain JavaScript: one start at a time, double precision, the gradient worked out
// on paper, nothing recorded but where each start ends.

/** Adam's hyperparameters as torch.optim names them (amsgrad off, no weight decay). */
export interface AdamHypers {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** Where each start ended, as the lab's labelling reads it. */
export interface Ends {
  points: Float64Array;
  values: Float64Array;
  gradientNorms: Float64Array;
  startGradientNorms: Float64Array;
}

/**
 * Adam on Himmelblau's (x² + y − 11)² + (x + y² − 7)² from every start (interleaved x, y):
 * ∂f/∂x = 4x·a + 2b, ∂f/∂y = 2a + 4y·b with a = x² + y − 11, b = x + y² − 7.
 */
export function handAdamOnHimmelblau(starts: Float64Array, steps: number, { lr, beta1, beta2, eps }: AdamHypers): Ends {
  const n = starts.length / 2;
  const ends: Ends = { points: new Float64Array(2 * n), values: new Float64Array(n), gradientNorms: new Float64Array(n), startGradientNorms: new Float64Array(n) };
  // 1 − β^t once per step number, not once per start and step.
  const c1 = new Float64Array(steps + 1);
  const c2 = new Float64Array(steps + 1);
  for (let t = 1; t <= steps; t++) {
    c1[t] = 1 - beta1 ** t;
    c2[t] = 1 - beta2 ** t;
  }
  for (let s = 0; s < n; s++) {
    let x = starts[2 * s], y = starts[2 * s + 1];
    let mx = 0, my = 0, vx = 0, vy = 0;
    for (let t = 1; t <= steps; t++) {
      const a = x * x + y - 11, b = x + y * y - 7;
      const gx = 4 * x * a + 2 * b, gy = 2 * a + 4 * y * b;
      if (t === 1) ends.startGradientNorms[s] = Math.sqrt(gx * gx + gy * gy);
      mx = beta1 * mx + (1 - beta1) * gx;
      my = beta1 * my + (1 - beta1) * gy;
      vx = beta2 * vx + (1 - beta2) * gx * gx;
      vy = beta2 * vy + (1 - beta2) * gy * gy;
      x -= (lr * (mx / c1[t])) / (Math.sqrt(vx / c2[t]) + eps);
      y -= (lr * (my / c1[t])) / (Math.sqrt(vy / c2[t]) + eps);
    }
    const a = x * x + y - 11, b = x + y * y - 7;
    const gx = 4 * x * a + 2 * b, gy = 2 * a + 4 * y * b;
    ends.points[2 * s] = x;
    ends.points[2 * s + 1] = y;
    ends.values[s] = a * a + b * b;
    ends.gradientNorms[s] = Math.sqrt(gx * gx + gy * gy);
    if (steps === 0) ends.startGradientNorms[s] = ends.gradientNorms[s];
  }
  return ends;
}

/**
 * Plain gradient descent on the bowl 0.5·(κu² + v²), u = x·cos θ + y·sin θ, v = −x·sin θ +
 * y·cos θ, from one start with each learning rate: ∇f = κu·(cos θ, sin θ) + v·(−sin θ, cos θ).
 * Returns f at each run's end.
 */
export function handSgdOnBowl(lrs: number[], [x0, y0]: [number, number], steps: number, condition: number, rotation: number): Float64Array {
  const theta = (rotation * Math.PI) / 180;
  const cos = Math.cos(theta), sin = Math.sin(theta);
  const losses = new Float64Array(lrs.length);
  lrs.forEach((lr, r) => {
    let x = x0, y = y0;
    for (let t = 0; t < steps; t++) {
      const u = x * cos + y * sin, v = y * cos - x * sin;
      const gx = condition * u * cos - v * sin, gy = condition * u * sin + v * cos;
      x -= lr * gx;
      y -= lr * gy;
    }
    const u = x * cos + y * sin, v = y * cos - x * sin;
    losses[r] = 0.5 * (condition * u * u + v * v);
  });
  return losses;
}
