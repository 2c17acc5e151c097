// The lab's setup in the URL hash, `#/lab?…`: one table of rows over the LabSpec fields, written
// relative to the lesson step it names, so a lesson's own link is just `#/lab?lesson=saddle`
// (its whole picture, the last step) and a step's is `#/lab?lesson=saddle&lessonStep=2`.
import { DEFAULT_LAB, numberListValue, optimizerListValue, pointValue, type LabSpec } from '../../core/landscape/lab-spec';
import { findLesson, lessonStepSetup, validateLessonLab } from '../../core/landscape/lessons';
import { createHashCodec, numberValue, textValue, type HashCodec, type HashRow, type ValueCodec } from '../../runtime/url-state';

/** The hash's route: what precedes the settings. */
export const LAB_ROUTE = '#/lab';

/** One row per LabSpec field: its parameter name and how its value is written. */
const LAB_ROWS: HashRow[] = [
  { name: 'lesson', path: 'lesson', type: textValue },
  { name: 'lessonStep', path: 'lessonStep', type: numberValue },
  { name: 'surface', path: 'surface', type: textValue },
  { name: 'condition', path: 'condition', type: numberValue },
  { name: 'rotation', path: 'rotation', type: numberValue },
  { name: 'opt', path: 'optimizers', type: optimizerListValue as ValueCodec<unknown> },
  { name: 'start', path: 'start', type: pointValue as ValueCodec<unknown> },
  { name: 'steps', path: 'steps', type: numberValue },
  { name: 'view', path: 'view', type: textValue },
  { name: 'focus', path: 'focus', type: numberValue },
  { name: 'curves', path: 'curves', type: numberListValue as ValueCodec<unknown> },
  { name: 'grid', path: 'grid', type: numberValue },
  { name: 'rates', path: 'rates', type: numberValue },
];

/** The setup a link's missing settings come from: its lesson step's, its lesson's, or the lab's defaults. */
function baseOf(lesson: string, step: number): LabSpec {
  return lessonStepSetup(lesson, step) ?? findLesson(lesson)?.setup ?? DEFAULT_LAB;
}

const codecs = new Map<LabSpec, HashCodec<LabSpec>>();
function codecFor(base: LabSpec): HashCodec<LabSpec> {
  let codec = codecs.get(base);
  if (!codec) codecs.set(base, (codec = createHashCodec<LabSpec>(LAB_ROWS, base, validateLessonLab)));
  return codec;
}

/** A parameter of a hash's settings ('' when absent), read without trusting the rest. */
function param(query: string, name: string): string {
  for (const piece of query.split('&')) {
    if (piece.startsWith(`${name}=`)) {
      try {
        return decodeURIComponent(piece.slice(name.length + 1));
      } catch {
        return '';
      }
    }
  }
  return '';
}

/**
 * The hash that reproduces `spec`: `#/lab?` and only the settings that differ from its
 * lesson's setup (or from the defaults), plus the lesson's name.
 */
export function encodeLab(spec: LabSpec): string {
  const base = baseOf(spec.lesson, spec.lessonStep);
  const codec = codecFor(base);
  const inBase = new Set(codec.encode(base).split('&'));
  // The step is written unless it is the lesson's whole picture, which a link without one shows.
  const wholeStep = spec.lessonStep === (findLesson(spec.lesson)?.setup.lessonStep ?? 0);
  const params = codec.encode(spec).split('&').filter((p) => p.startsWith('lesson=') ? spec.lesson !== '' : p.startsWith('lessonStep=') ? !wholeStep : !inBase.has(p));
  return params.length ? `${LAB_ROUTE}?${params.join('&')}` : LAB_ROUTE;
}

/**
 * The setup a hash describes (`#/lab`, `#/lab?lesson=saddle&start=1,0.2`, or the settings
 * alone). Never throws: unreadable or refused settings fall back to the lesson's or the
 * defaults, and `notice` says what was ignored.
 */
export function decodeLab(hash: string): { spec: LabSpec; notice?: string } {
  const text = hash.replace(/^#/, '');
  const query = text.includes('?') ? text.slice(text.indexOf('?') + 1) : text.startsWith('/') ? '' : text;
  return codecFor(baseOf(param(query, 'lesson'), Number(param(query, 'lessonStep')))).decode(query);
}
