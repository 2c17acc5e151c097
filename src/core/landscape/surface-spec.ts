import { compileToTf, parseFormula } from './formula';
import {
  BUILT_IN_SURFACES,
  bowl,
  isBuiltInSurfaceId,
  type BowlOptions,
  type Domain,
  type Surface,
  type SurfaceMinimum,
} from './surfaces';

/** A user formula as data, with the region to show and, if the user knows them, its minima. */
export interface FormulaSurfaceSpec {
  /** f(x, y) in the syntax of {@link parseFormula}, e.g. '(x^2 + y - 11)^2 + (x + y^2 - 7)^2'. */
  formula: string;
  /** Region shown and started from; {@link DEFAULT_FORMULA_DOMAIN} when omitted. */
  domain?: Domain;
  /** Minima a basin map should label; none when omitted. */
  minima?: SurfaceMinimum[];
}

/**
 * A surface as data, as specs and links store it: a built-in id ('rosenbrock', 'bowl', …) or a
 * formula in x and y (a string that is not a built-in id is read as a formula), a bowl with its
 * own shape, or a formula with its domain.
 */
export type SurfaceSpec = string | ({ id: 'bowl' } & BowlOptions) | FormulaSurfaceSpec;

/** Where a user formula is shown when its spec names no domain. */
export const DEFAULT_FORMULA_DOMAIN: Domain = { x: [-5, 5], y: [-5, 5] };

/** Why a surface spec was refused: the field to mark, the message, and for formulas the character. */
export interface SurfaceSpecError {
  field: 'formula' | 'domain' | 'condition' | 'rotation';
  message: string;
  /** 0-based character index into the formula, for formula errors. */
  position?: number;
}

/** The outcome of {@link resolveSurface}. */
export type SurfaceResult = { ok: true; surface: Surface } | { ok: false; error: SurfaceSpecError };

function domainError(domain: Domain): string | null {
  for (const axis of ['x', 'y'] as const) {
    const [low, high] = domain[axis];
    if (!Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) {
      return `The ${axis} range must be two finite numbers, low < high; got [${low}, ${high}]`;
    }
  }
  return null;
}

/**
 * Turns a surface spec into a surface, or an error for the field it came from; never throws.
 * Formula surfaces get id 'formula' and carry the user's text as their display formula.
 */
export function resolveSurface(spec: SurfaceSpec): SurfaceResult {
  if (typeof spec === 'string') {
    return isBuiltInSurfaceId(spec) ? { ok: true, surface: BUILT_IN_SURFACES[spec] } : formulaSurface({ formula: spec });
  }
  if ('formula' in spec) return formulaSurface(spec);
  if (!(spec.condition >= 1 && Number.isFinite(spec.condition))) {
    return { ok: false, error: { field: 'condition', message: 'The condition number must be a finite number ≥ 1' } };
  }
  if (!Number.isFinite(spec.rotation)) {
    return { ok: false, error: { field: 'rotation', message: 'The rotation must be a finite angle in degrees' } };
  }
  return { ok: true, surface: bowl(spec) };
}

function formulaSurface({ formula, domain = DEFAULT_FORMULA_DOMAIN, minima = [] }: FormulaSurfaceSpec): SurfaceResult {
  const parsed = parseFormula(formula);
  if (!parsed.ok) return { ok: false, error: { field: 'formula', ...parsed.error } };
  const badDomain = domainError(domain);
  if (badDomain) return { ok: false, error: { field: 'domain', message: badDomain } };
  return {
    ok: true,
    surface: {
      id: 'formula',
      name: 'Custom formula',
      formula,
      domain,
      minima,
      saddles: [],
      fn: compileToTf(parsed.ast),
      ast: parsed.ast,
      citation: '',
    },
  };
}
