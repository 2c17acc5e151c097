/**
 * The normal distribution's log-density and log-probability of an interval, accurate far into
 * the tails, where a plain difference of CDFs rounds to 0 and its log to -Infinity.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log erfc(z). For z ≥ 0, erfc(z) = t·exp(−z² + P(t)) with t = 1/(1 + z/2) and P the
 * Chebyshev-fitted polynomial of Press et al., Numerical Recipes §6.2 (relative error below
 * 1.2e-7 everywhere); taking the log of that form never underflows.
 */
export function logErfc(z: number): number {
  if (z < 0) return Math.log(2 - Math.exp(logErfc(-z)));
  const t = 1 / (1 + 0.5 * z);
  const p =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - z * z + p;
}

/** log Q(x) = log P(Z > x) for a standard normal Z. */
function logUpperTail(x: number): number {
  return logErfc(x / Math.SQRT2) - Math.LN2;
}

/** log(1 − e^x) for x ≤ 0, accurate near both ends. */
function log1mExp(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** log P(a < Z < b) for a standard normal Z and a ≤ b (−Infinity when a = b). */
export function logGaussMass(a: number, b: number): number {
  if (a >= b) return -Infinity;
  // Both ends in one tail: subtract the tails there, where they are not rounded to 1.
  if (a >= 0) return logUpperTail(a) + log1mExp(logUpperTail(b) - logUpperTail(a));
  if (b <= 0) return logUpperTail(-b) + log1mExp(logUpperTail(-a) - logUpperTail(-b));
  return Math.log1p(-Math.exp(logUpperTail(-a)) - Math.exp(logUpperTail(b)));
}

/** log of the normal density N(x; mu, sigma²). */
export function logNormalPdf(x: number, mu: number, sigma: number): number {
  const z = (x - mu) / sigma;
  return -0.5 * z * z - Math.log(sigma) - LOG_SQRT_2PI;
}

/** log Σ exp(xs), without overflow. */
export function logSumExp(xs: number[]): number {
  const max = Math.max(...xs);
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (const x of xs) sum += Math.exp(x - max);
  return max + Math.log(sum);
}
