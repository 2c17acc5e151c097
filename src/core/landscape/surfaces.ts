import type * as tf from '@tensorflow/tfjs-core';
import { compileToTf, parseFormula, type FormulaNode } from './formula';

/** The rectangle of the plane a surface is shown on and started from. */
export interface Domain {
  x: [number, number];
  y: [number, number];
}

/** A point of a surface with its height, e.g. a saddle point. */
export interface SurfacePoint {
  x: number;
  y: number;
  value: number;
}

/** A minimum of a surface; a basin map labels each start by the index of the minimum it reached. */
export interface SurfaceMinimum extends SurfacePoint {
  kind: 'global' | 'local';
}

/** A loss surface f(x, y) of the landscape lab, built in or typed by the user. */
export interface Surface {
  /** Stable identifier, stored in specs and links. */
  id: string;
  /** Name shown to people. */
  name: string;
  /** The definition, for display, e.g. '(1 − x)² + 100(y − x²)²'. */
  formula: string;
  /** The region shown and the default region of starts. */
  domain: Domain;
  /**
   * Known minima inside the domain (empty when unknown, e.g. for a user formula), with
   * coordinates precise enough that the float32 gradient there is below 1e-4 (relative to the
   * value for Goldstein–Price, whose curvature reaches 2.6·10⁴).
   */
  minima: SurfaceMinimum[];
  /** Saddle points worth marking on the plot. */
  saddles: SurfacePoint[];
  /** f evaluated element-wise on tensors of equal (or broadcasting) shape; differentiable by tf.grad. */
  fn(x: tf.Tensor, y: tf.Tensor): tf.Tensor;
  /**
   * f's formula tree, from which the lab compiles f and its exact gradient (see
   * `compileSurface`); absent for a surface given only as a tensor function, which runs
   * operation by operation.
   */
  ast?: FormulaNode;
  /** Where the definition comes from. */
  citation: string;
  /**
   * L, the largest eigenvalue of the Hessian, when it is the same everywhere (quadratics):
   * gradient descent then converges exactly when lr < 2/L.
   */
  L?: number;
}

/** How to shape the quadratic bowl: its condition number and the angle of its axes. */
export interface BowlOptions {
  /** κ = a/b ≥ 1, the ratio of the curvatures along the two axes (b = 1). */
  condition: number;
  /** Counter-clockwise angle θ of the steep axis from the x axis, in degrees. */
  rotation: number;
}

/** A quadratic bowl: a {@link Surface} whose constant curvature L = κ is known. */
export interface BowlSurface extends Surface {
  condition: number;
  rotation: number;
  L: number;
}

/** The bowl shown before the user changes it: ill-conditioned enough that momentum helps. */
export const DEFAULT_BOWL: BowlOptions = { condition: 10, rotation: 30 };

const VLSE =
  'Surjanovic, S. & Bingham, D. (2013). Virtual Library of Simulation Experiments: Test Functions and Datasets. https://www.sfu.ca/~ssurjano/';
const JAMIL_YANG =
  "Jamil, M. & Yang, X.-S. (2013). A literature survey of benchmark functions for global optimisation problems. Int. J. Mathematical Modelling and Numerical Optimisation 4(2), 150–194";

/** A surface's definition: everything but f's tree and tensor function, which come from `expression`. */
type SurfaceDefinition = Omit<Surface, 'fn' | 'ast'> & {
  /** f in the formula syntax of `parseFormula`: the one definition every path compiles. */
  expression: string;
};

/** A surface from its formula: the tree, and the tensor function for the operation-by-operation path. */
function fromFormula({ expression, ...surface }: SurfaceDefinition): Surface {
  const parsed = parseFormula(expression);
  if (!parsed.ok) throw new Error(`${surface.id}: ${parsed.error.message}`);
  return { ...surface, ast: parsed.ast, fn: compileToTf(parsed.ast) };
}

/**
 * The quadratic bowl 0.5·(a·u² + b·v²) with a = κ, b = 1, where (u, v) are (x, y) rotated by
 * −θ: u = x·cos θ + y·sin θ, v = −x·sin θ + y·cos θ. Its Hessian has eigenvalues κ and 1
 * everywhere, so L = κ and gradient descent is stable exactly for lr < 2/κ. Throws a
 * RangeError for κ < 1 or a non-finite angle (specs are validated before they get here).
 */
export function bowl({ condition, rotation }: BowlOptions): BowlSurface {
  const key = `${condition} ${rotation}`;
  let surface = bowls.get(key);
  if (!surface) {
    surface = makeBowl({ condition, rotation });
    // Bowls by shape: one tree per shape, so that its compiled code is made once.
    if (bowls.size >= 64) bowls.delete(bowls.keys().next().value!);
    bowls.set(key, surface);
  }
  return surface;
}

const bowls = new Map<string, BowlSurface>();

function makeBowl({ condition, rotation }: BowlOptions): BowlSurface {
  if (!(condition >= 1 && Number.isFinite(condition))) {
    throw new RangeError(`The condition number must be a finite number ≥ 1, got ${condition}`);
  }
  if (!Number.isFinite(rotation)) throw new RangeError(`The rotation must be a finite angle, got ${rotation}`);
  const theta = (rotation * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  return {
    ...fromFormula({
      id: 'bowl',
      name: 'Quadratic bowl',
      formula: `0.5·(κu² + v²), u = x·cos θ + y·sin θ, v = −x·sin θ + y·cos θ (κ = ${condition}, θ = ${rotation}°)`,
      expression: `0.5*(${condition}*(x*${cos} + y*${sin})^2 + (y*${cos} - x*${sin})^2)`,
      domain: { x: [-2, 2], y: [-2, 2] },
      minima: [{ x: 0, y: 0, value: 0, kind: 'global' }],
      saddles: [],
      citation:
        'Nocedal, J. & Wright, S. J. (2006). Numerical Optimization, 2nd ed., §3.3 (steepest descent on quadratics). Springer; Goh, G. (2017). Why Momentum Really Works. Distill',
    }),
    condition,
    rotation,
    L: condition,
  };
}

const rosenbrock = fromFormula({
  id: 'rosenbrock',
  name: 'Rosenbrock',
  formula: '(1 − x)² + 100(y − x²)²',
  domain: { x: [-2, 2], y: [-1, 3] },
  minima: [{ x: 1, y: 1, value: 0, kind: 'global' }],
  saddles: [],
  expression: '(1 - x)^2 + 100*(y - x^2)^2',
  citation: `Rosenbrock, H. H. (1960). An automatic method for finding the greatest or least value of a function. The Computer Journal 3(3), 175–184; ${VLSE}`,
});

const beale = fromFormula({
  id: 'beale',
  name: 'Beale',
  formula: '(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
  domain: { x: [-4.5, 4.5], y: [-4.5, 4.5] },
  minima: [{ x: 3, y: 0.5, value: 0, kind: 'global' }],
  saddles: [],
  expression: '(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2',
  citation: `Beale, E. M. L. (1958). On an iterative method for finding a local minimum of a function of more than one variable. Technical Report 25, Statistical Techniques Research Group, Princeton University; ${VLSE}`,
});

const himmelblau = fromFormula({
  id: 'himmelblau',
  name: 'Himmelblau',
  formula: '(x² + y − 11)² + (x + y² − 7)²',
  domain: { x: [-5, 5], y: [-5, 5] },
  minima: [
    { x: 3, y: 2, value: 0, kind: 'global' },
    { x: -2.80511808695, y: 3.13131251825, value: 0, kind: 'global' },
    { x: -3.77931025338, y: -3.28318599129, value: 0, kind: 'global' },
    { x: 3.58442834033, y: -1.84812652696, value: 0, kind: 'global' },
  ],
  saddles: [],
  expression: '(x^2 + y - 11)^2 + (x + y^2 - 7)^2',
  citation: `Himmelblau, D. M. (1972). Applied Nonlinear Programming. McGraw-Hill; ${JAMIL_YANG}`,
});

const sixHumpCamel = fromFormula({
  id: 'six-hump-camel',
  name: 'Six-hump camel',
  formula: '(4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²',
  domain: { x: [-3, 3], y: [-2, 2] },
  minima: [
    { x: 0.0898420131003, y: -0.712656403021, value: -1.03162845349, kind: 'global' },
    { x: -0.0898420131003, y: 0.712656403021, value: -1.03162845349, kind: 'global' },
    { x: -1.70360671497, y: 0.796083568673, value: -0.215463824384, kind: 'local' },
    { x: 1.70360671497, y: -0.796083568673, value: -0.215463824384, kind: 'local' },
    { x: -1.60710475292, y: -0.568651454884, value: 2.10425031031, kind: 'local' },
    { x: 1.60710475292, y: 0.568651454884, value: 2.10425031031, kind: 'local' },
  ],
  saddles: [],
  expression: '(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2',
  citation: `Dixon, L. C. W. & Szegő, G. P. (1978). The global optimization problem: an introduction. In Towards Global Optimisation 2, 1–15. North-Holland; ${VLSE}`,
});

/** Rastrigin's eight local minima around the origin sit at ±r on each axis. */
const RASTRIGIN_R = 0.994958637652;
const RASTRIGIN_AXIS_VALUE = 0.994959057093;
const RASTRIGIN_DIAGONAL_VALUE = 1.98991811419;

const rastrigin = fromFormula({
  id: 'rastrigin',
  name: 'Rastrigin',
  formula: '20 + x² − 10·cos(2πx) + y² − 10·cos(2πy)',
  domain: { x: [-5.12, 5.12], y: [-5.12, 5.12] },
  minima: [
    { x: 0, y: 0, value: 0, kind: 'global' },
    ...[
      [RASTRIGIN_R, 0],
      [-RASTRIGIN_R, 0],
      [0, RASTRIGIN_R],
      [0, -RASTRIGIN_R],
    ].map(([x, y]) => ({ x, y, value: RASTRIGIN_AXIS_VALUE, kind: 'local' as const })),
    ...[
      [RASTRIGIN_R, RASTRIGIN_R],
      [-RASTRIGIN_R, RASTRIGIN_R],
      [-RASTRIGIN_R, -RASTRIGIN_R],
      [RASTRIGIN_R, -RASTRIGIN_R],
    ].map(([x, y]) => ({ x, y, value: RASTRIGIN_DIAGONAL_VALUE, kind: 'local' as const })),
  ],
  saddles: [],
  expression: '20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)',
  citation: `Rastrigin, L. A. (1974). Systems of Extremal Control. Nauka, Moscow; ${VLSE}`,
});

const ackley = fromFormula({
  id: 'ackley',
  name: 'Ackley',
  formula: '−20·exp(−0.2·√(0.5(x² + y²))) − exp(0.5(cos 2πx + cos 2πy)) + e + 20',
  domain: { x: [-5, 5], y: [-5, 5] },
  // The origin is the tip of a cone: 0 is a subgradient there. Below 1e-30 the √ is taken of
  // that floor instead, so the tip gets gradient 0 rather than NaN.
  minima: [{ x: 0, y: 0, value: 0, kind: 'global' }],
  saddles: [],
  expression: '-20*exp(-0.2*sqrt(max(0.5*(x^2 + y^2), 1e-30))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20',
  citation: `Ackley, D. H. (1987). A Connectionist Machine for Genetic Hillclimbing. Kluwer; ${VLSE}`,
});

/** The 1-D Styblinski–Tang term has minima at these two roots of 4t³ − 32t + 5 = 0. */
const ST_LOW = -2.90353402777;
const ST_HIGH = 2.74680277099;

const styblinskiTang = fromFormula({
  id: 'styblinski-tang',
  name: 'Styblinski–Tang',
  formula: '0.5·(x⁴ − 16x² + 5x + y⁴ − 16y² + 5y)',
  domain: { x: [-5, 5], y: [-5, 5] },
  minima: [
    { x: ST_LOW, y: ST_LOW, value: -78.3323314075, kind: 'global' },
    { x: ST_HIGH, y: ST_LOW, value: -64.1956123591, kind: 'local' },
    { x: ST_LOW, y: ST_HIGH, value: -64.1956123591, kind: 'local' },
    { x: ST_HIGH, y: ST_HIGH, value: -50.0588933106, kind: 'local' },
  ],
  saddles: [],
  expression: '0.5*(x^4 - 16*x^2 + 5*x + y^4 - 16*y^2 + 5*y)',
  citation: `Styblinski, M. A. & Tang, T.-S. (1990). Experiments in nonconvex optimization: stochastic approximation with function smoothing and simulated annealing. Neural Networks 3(4), 467–483; ${VLSE}`,
});

const saddle = fromFormula({
  id: 'saddle',
  name: 'Saddle',
  formula: 'x² − y²',
  domain: { x: [-2, 2], y: [-2, 2] },
  minima: [],
  saddles: [{ x: 0, y: 0, value: 0 }],
  expression: 'x^2 - y^2',
  citation:
    'Dauphin, Y. et al. (2014). Identifying and attacking the saddle point problem in high-dimensional non-convex optimization. NeurIPS 27',
});

const goldsteinPrice = fromFormula({
  id: 'goldstein-price',
  name: 'Goldstein–Price',
  formula:
    '[1 + (x + y + 1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)]·[30 + (2x − 3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)]',
  domain: { x: [-2, 2], y: [-2, 2] },
  minima: [
    { x: 0, y: -1, value: 3, kind: 'global' },
    { x: -0.6, y: -0.4, value: 30, kind: 'local' },
    { x: 1.8, y: 0.2, value: 84, kind: 'local' },
    { x: 1.2, y: 0.8, value: 840, kind: 'local' },
  ],
  saddles: [],
  expression: '(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))',
  citation: `Goldstein, A. A. & Price, J. F. (1971). On descent from local minima. Mathematics of Computation 25(115), 569–574; ${VLSE}`,
});

/** Identifiers of the built-in surfaces, in the order the lab lists them. */
export const BUILT_IN_SURFACE_IDS = [
  'bowl',
  'rosenbrock',
  'beale',
  'himmelblau',
  'six-hump-camel',
  'rastrigin',
  'ackley',
  'styblinski-tang',
  'saddle',
  'goldstein-price',
] as const;

/** One of {@link BUILT_IN_SURFACE_IDS}. */
export type BuiltInSurfaceId = (typeof BUILT_IN_SURFACE_IDS)[number];

/** The built-in surfaces by id; 'bowl' is {@link DEFAULT_BOWL} (other bowls come from {@link bowl}). */
export const BUILT_IN_SURFACES: Readonly<Record<BuiltInSurfaceId, Surface>> = {
  bowl: bowl(DEFAULT_BOWL),
  rosenbrock,
  beale,
  himmelblau,
  'six-hump-camel': sixHumpCamel,
  rastrigin,
  ackley,
  'styblinski-tang': styblinskiTang,
  saddle,
  'goldstein-price': goldsteinPrice,
};

/** Whether `id` names a built-in surface. */
export function isBuiltInSurfaceId(id: string): id is BuiltInSurfaceId {
  return (BUILT_IN_SURFACE_IDS as readonly string[]).includes(id);
}
