import { logGamma } from './special';

/**
 * The distribution of the two-sided one-sample Kolmogorov–Smirnov statistic D_n (scipy's
 * `kstwo`): its survival function P(D_n > x), computed as Simard & L'Ecuyer (2011) advise,
 * picking per (n, x) the method that is exact or accurate there: Ruben–Gambino's closed forms
 * at the ends, twice the one-sided Smirnov tail where the two tails cannot overlap or their
 * overlap is negligible, Durbin's matrix (Marsaglia–Tsang–Wang) or Pomeranz's recursion for
 * small n, and Pelz–Good's asymptotic series for large n.
 */

const SCALE_EXP = 128;
const BIG = 2 ** SCALE_EXP;
const SMALL = 2 ** -SCALE_EXP;

/** P(D_n > x) for a sample of n points; NaN unless n is a positive integer. */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0) return NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    const cdf = n <= 140 ? productCdf(n, t) : Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nxx = t * x;
  if (n <= 140) {
    if (nxx <= 0.754693) return clip(1 - durbinCdf(n, x));
    if (nxx <= 4) return clip(1 - pomeranzCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nxx >= 370) return 0;
  if (nxx >= 2.2) return clip(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}

/**
 * P(D⁺_n ≥ x), the one-sided Smirnov tail, by the Birnbaum–Tingey sum
 * x · Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (1 − x − j/n)^{n−j} (x + j/n)^{j−1}; every term is positive, so
 * summing their logarithms' exponentials keeps double precision.
 */
export function smirnovSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const logChoose = (j: number) => logGamma(n + 1) - logGamma(j + 1) - logGamma(n - j + 1);
  let sum = 0;
  const last = Math.floor(n * (1 - x));
  for (let j = 0; j <= last; j++) {
    const low = 1 - x - j / n;
    if (low <= 0 && n - j > 0) continue;
    const logTerm = logChoose(j) + (n - j) * Math.log(Math.max(low, Number.MIN_VALUE)) + (j - 1) * Math.log(x + j / n);
    sum += Math.exp(logTerm);
  }
  return clip(x * sum);
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/** n!/nⁿ · (2t − 1)ⁿ as a product, for n ≤ 140 where it cannot overflow. */
function productCdf(n: number, t: number): number {
  let p = 1;
  for (let i = 1; i <= n; i++) p *= (i / n) * (2 * t - 1);
  return p;
}

/** ln(n!/nⁿ) by Stirling's series, for n past where the product is safe. */
function logFactorialOverPower(n: number): number {
  const coefficients = [
    -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
    -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
  ];
  const rn = 1 / n;
  let poly = 0;
  for (const c of coefficients) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
}

type Matrix = Float64Array[];

function matmul(a: Matrix, b: Matrix): Matrix {
  const m = a.length;
  const out = Array.from({ length: m }, () => new Float64Array(m));
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i][k];
      if (aik === 0) continue;
      const bk = b[k];
      const row = out[i];
      for (let j = 0; j < m; j++) row[j] += aik * bk[j];
    }
  }
  return out;
}

/** P(D_n ≤ d) by Durbin's matrix method, the power Hⁿ taken by squaring with rescaling (Marsaglia, Tsang & Wang 2003). */
function durbinCdf(n: number, d: number): number {
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  v[m - 1] = (1 + Math.max(2 * h - 1, 0) ** m - 2 * h ** m) * fac;
  let H: Matrix = Array.from({ length: m }, () => new Float64Array(m));
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r][i] = w[r - i + 1];
  for (let r = 0; r < m; r++) H[r][0] = v[r];
  for (let c = 0; c < m; c++) H[m - 1][c] = v[m - 1 - c];
  let power: Matrix = Array.from({ length: m }, (_, i) => Float64Array.from({ length: m }, (_, j) => (i === j ? 1 : 0)));
  let exponent = 0;
  let hExponent = 0;
  for (let left = n; left > 0; left = Math.floor(left / 2)) {
    if (left % 2) {
      power = matmul(power, H);
      exponent += hExponent;
    }
    H = matmul(H, H);
    hExponent *= 2;
    if (Math.abs(H[k - 1][k - 1]) > BIG) {
      for (const row of H) for (let j = 0; j < m; j++) row[j] /= BIG;
      hExponent += SCALE_EXP;
    }
  }
  let p = power[k - 1][k - 1];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SMALL) {
      p *= BIG;
      exponent -= SCALE_EXP;
    }
  }
  return clip(p * 2 ** exponent);
}

/** Column range [j1, j2] of row i of Pomeranz's recursion. */
function pomeranzRange(i: number, n: number, ll: number, ceilF: number, roundF: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(D_n ≤ x) by Pomeranz's (1974) recursion, one convolution per row, rescaled against underflow. */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  const gPower = new Float64Array(size);
  const twoGPower = new Float64Array(size);
  const restPower = new Float64Array(size);
  gPower[0] = twoGPower[0] = restPower[0] = 1;
  for (let m = 1; m < size; m++) {
    gPower[m] = (gPower[m - 1] * (g / n)) / m;
    twoGPower[m] = (twoGPower[m - 1] * ((2 * g) / n)) / m;
    restPower[m] = (restPower[m - 1] * ((1 - 2 * g) / n)) / m;
  }
  let v0 = new Float64Array(size);
  let v1 = new Float64Array(size);
  v1[0] = 1;
  let v0Start = 0;
  let v1Start = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzRange(0, n, ll, ceilF, roundF);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0Start, v1Start] = [v1Start, v0Start];
    v1.fill(0);
    [j1, j2] = pomeranzRange(i, n, ll, ceilF, roundF);
    const powers = i === 1 || i === 2 * n + 1 ? gPower : i % 2 ? twoGPower : restPower;
    const len = j2 - k1 + 1;
    if (len > 0) {
      const from = k1 - v0Start;
      // The slice of v0 ends where v0 does, as numpy's slicing would end it.
      const vLen = Math.min(len, size - from);
      const start = j1 - k1;
      const count = j2 - j1 + 1;
      for (let c = 0; c < count; c++) {
        // Entry start + c of the full convolution of v0[from…from+len) with powers[0…len).
        const at = start + c;
        let s = 0;
        for (let a = Math.max(0, at - len + 1); a <= Math.min(at, vLen - 1); a++) s += v0[from + a] * powers[at - a];
        v1[c] = s;
      }
      let max = 0;
      for (let c = 0; c < count; c++) max = Math.max(max, v1[c]);
      if (max > 0 && max < SMALL) {
        for (let c = 0; c < size; c++) v1[c] *= BIG;
        exponent -= SCALE_EXP;
      }
      v1Start = v0Start + j1 - k1;
    }
  }
  let answer = v1[n - v1Start];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > BIG) {
      answer *= SMALL;
      exponent += SCALE_EXP;
    }
    answer *= m;
  }
  return clip(answer * 2 ** exponent);
}

/** P(D_n ≤ x) by Pelz & Good's (1976) series in 1/√n, with its terms in Jacobi-theta form for small z = x√n. */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const pi2 = Math.PI ** 2;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const qLog = -pi2 / 8 / z2;
  if (qLog < -708) return 0;
  let q = Math.exp(qLog);
  const k1a = -z2;
  const k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
  const k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = q ** (8 * k);
    const coefficients = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) terms[i] = terms[i] * qPower + coefficients[i];
  }
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) terms[i] = (terms[i] * q * sqrt2pi) / divisors[i];
  q = Math.exp(-pi2 / 2 / z2);
  let k2Extra = 0;
  let k3Extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxK; k > 0; k--) {
    const qk = q ** (k * k);
    k2Extra += k * k * qk;
    k3Extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k * k * qk;
  }
  terms[2] += (k2Extra * pi2 * sqrt2pi) / (-36 * z ** 3);
  terms[3] += (k3Extra * pi2 * sqrt2pi) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += terms[i] / n ** (i / 2);
  return sum;
}
