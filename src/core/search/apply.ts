import { studentLayers } from '../compress/spec';
import { FEATURES, type Activation, type FeatureId } from '../model/types';
import type { OptimizerKind } from '../optim/types';
import type { ExperimentSpec } from '../spec/experiment';
import { show } from '../spec/schema';
import { safePath, unsafeMessage, type Params } from './space';

type Setter = (spec: ExperimentSpec, value: Params[string]) => void;

/**
 * Parameters that are not a plain path into the spec: the shape of the network as a whole,
 * and the optimizer kind, whose change drops the other kind's own hyperparameters.
 */
const SPECIAL: Record<string, Setter> = {
  'model.layers': (s, v) => {
    const n = Number(v);
    const template = s.model.hidden[0] ?? { units: 4, activation: 'tanh' };
    s.model.hidden = Array.from({ length: n }, (_, i) => ({ ...(s.model.hidden[i] ?? template) }));
  },
  'model.units': (s, v) => s.model.hidden.forEach((l) => (l.units = Number(v))),
  'model.activation': (s, v) => s.model.hidden.forEach((l) => (l.activation = v as Activation)),
  'model.features': (s, v) => {
    const wanted = String(v).split('+') as FeatureId[];
    s.model.features = FEATURES.filter((f) => wanted.includes(f));
  },
  'optimizer.kind': (s, v) => {
    s.optimizer = { kind: v as OptimizerKind, lr: s.optimizer.lr };
  },
  // A student is narrower than the run that teaches it.
  'compress.distilled': (s, v) => {
    if (!s.compress) throw new Error('compress.distilled varies only in a study that compresses a saved run.');
    s.compress.distilled = v === true;
    if (s.compress.distilled) s.model.hidden = studentLayers(s, s.compress.distill.widthFactor);
  },
};

/** Applies a kind before the hyperparameters that depend on it, the layer count before the units. */
const FIRST = ['optimizer.kind', 'model.layers'];

/**
 * The experiment a trial runs: `base` with each parameter set, by its dotted path
 * ('optimizer.lr', 'training.batchSize', 'seed') or one of the special names 'model.layers',
 * 'model.units', 'model.activation', 'model.features' (features joined by '+'),
 * 'compress.distilled' (true narrows the hidden layers to the student's widths).
 *
 * @example
 * applyParams(base, { 'optimizer.lr': 0.1, 'model.layers': 2, 'model.units': 8 });
 *
 * Throws for a name through __proto__, constructor or prototype, which would change every
 * object rather than this experiment (validateSpace refuses such names first).
 */
export function applyParams(base: ExperimentSpec, params: Params): ExperimentSpec {
  const unsafe = Object.keys(params).filter((name) => !safePath(name));
  if (unsafe.length) throw new Error(unsafeMessage(unsafe.map((n) => show(n)).join(', ')));
  const spec = structuredClone(base);
  const names = Object.keys(params).sort((a, b) => Number(FIRST.includes(b)) - Number(FIRST.includes(a)));
  for (const name of names) {
    const special = SPECIAL[name];
    if (special) {
      special(spec, params[name]);
      continue;
    }
    const path = name.split('.');
    let target = spec as unknown as Record<string, unknown>;
    for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
    target[path.at(-1)!] = params[name];
  }
  return spec;
}
