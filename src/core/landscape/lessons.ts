import { DEFAULT_EXPERIMENT } from '../spec/defaults';
import type { ExperimentSpec } from '../spec/experiment';
import type { ValidationResult } from '../spec/schema';
import { DEFAULT_LAB, MAX_LESSON_STEPS, validateLab, type LabSpec } from './lab-spec';

/** A setup of the training screen that a lesson continues on, with the words of its link. */
export interface LessonTraining {
  label: string;
  spec: ExperimentSpec;
}

/** One step of a lesson's narrative: what the teacher says, and the lab's setup while saying it. */
export interface LessonStep {
  /** One or two sentences; the settings that changed since the step before are named in it (tests/unit/lab-lessons.test.ts). */
  text: string;
  /** The whole setup of this step, with `lessonStep` its number from 1: a link to it needs only the lesson and the number. */
  setup: LabSpec;
  /** An experiment of the training screen this step continues on. */
  training?: LessonTraining;
}

/** A one-click lesson: a lab setup, a few sentences for a classroom, and the steps a teacher advances through. */
export interface Lesson {
  id: string;
  title: string;
  /** Two or three sentences a teacher can read out; every claim in them is checked in tests/unit/lab-lessons.test.ts. */
  text: string;
  /** The whole picture: the setup of the last step. */
  setup: LabSpec;
  /** Experiments of the training screen the lesson continues with (links `#/train?…`). */
  training?: LessonTraining[];
  /** The narrative, from the first step to the whole picture. */
  steps: LessonStep[];
}

/** A step as written: what changes from the step before (the first: from the lesson's whole setup). */
interface StepDraft {
  text: string;
  change?: Partial<LabSpec>;
  training?: LessonTraining;
}

/** A lesson from its whole setup and its steps written as changes, each step's setup spelled out in full. */
function lesson(draft: Omit<Lesson, 'setup' | 'steps'> & { setup: Partial<LabSpec>; steps: StepDraft[] }): Lesson {
  const setup: LabSpec = { ...structuredClone(DEFAULT_LAB), ...structuredClone(draft.setup), lesson: draft.id, lessonStep: draft.steps.length };
  let current = setup;
  const steps = draft.steps.map(({ text, change, training }, k): LessonStep => {
    current = { ...structuredClone(current), ...structuredClone(change ?? {}), lessonStep: k + 1 };
    return training ? { text, setup: current, training } : { text, setup: current };
  });
  return { id: draft.id, title: draft.title, text: draft.text, ...(draft.training ? { training: draft.training } : {}), setup, steps };
}

/** The spiral with a small tanh network and plain SGD: noisy enough that the batch size shows. */
const spiral = (batchSize: number): ExperimentSpec => ({
  ...structuredClone(DEFAULT_EXPERIMENT),
  data: { kind: 'spiral', n: 300, noise: 10, trainRatio: 0.5, seed: 1 },
  model: { features: ['x1', 'x2'], hidden: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }], l1: 0, l2: 0, dropout: 0 },
  optimizer: { kind: 'sgd', lr: 0.1 },
  training: { batchSize, epochs: 200, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
  seed: 1,
});

/** The spiral network trained on all its training points at every step. */
const FULL_BATCH: LessonTraining = { label: 'Full batch (150 points a step)', spec: spiral(150) };
/** The same network on mini-batches of five points. */
const MINI_BATCH: LessonTraining = { label: 'Mini-batch (5 points a step)', spec: spiral(5) };

/** The lessons of the lab, in teaching order. */
export const LESSONS: Lesson[] = [
  lesson({
    id: 'learning-rates',
    title: 'Learning rate: too small, right, oscillating, diverging',
    text: 'Four runs of plain gradient descent on a round bowl, differing only in the learning rate. 0.02 creeps and is still far from the centre after 40 steps; 0.8 arrives in a few; 1.8 jumps to the other side at every step and still settles; 2.05 jumps further each time and flies off. On this bowl the border is exactly lr = 2.',
    setup: {
      surface: 'bowl', condition: 1, rotation: 0, start: [-1.6, 1.2], steps: 40,
      optimizers: [{ kind: 'sgd', lr: 0.02 }, { kind: 'sgd', lr: 0.8 }, { kind: 'sgd', lr: 1.8 }, { kind: 'sgd', lr: 2.05 }],
    },
    steps: [
      { text: 'Gradient descent on a round bowl with learning rate 0.02: too small, the path crawls and is still far from the centre after 40 steps.', change: { optimizers: [{ kind: 'sgd', lr: 0.02 }] } },
      { text: 'Learning rate 0.8: about right, the path arrives in a few steps.', change: { optimizers: [{ kind: 'sgd', lr: 0.02 }, { kind: 'sgd', lr: 0.8 }] } },
      { text: 'Learning rate 1.8: too large to land, it jumps to the other side at every step, and still settles.', change: { optimizers: [{ kind: 'sgd', lr: 0.02 }, { kind: 'sgd', lr: 0.8 }, { kind: 'sgd', lr: 1.8 }] } },
      {
        text: 'Learning rate 2.05: each jump lands further out than the last, and the path flies off. On this bowl the border is exactly lr = 2.',
        change: { optimizers: [{ kind: 'sgd', lr: 0.02 }, { kind: 'sgd', lr: 0.8 }, { kind: 'sgd', lr: 1.8 }, { kind: 'sgd', lr: 2.05 }] },
      },
    ],
  }),
  lesson({
    id: 'stability-bound',
    title: 'Where gradient descent becomes unstable',
    text: 'Sixty-four learning rates at once on a bowl whose steepest curvature is L = 10. Too small a rate barely moves in 100 steps; larger ones converge; closer to the border the runs zig-zag across the valley; every rate above 2/L = 0.2 diverges. The measured border sits on the line theory draws.',
    setup: { surface: 'bowl', condition: 10, rotation: 30, start: [-1.5, 1.5], steps: 100, view: 'sweep', optimizers: [{ kind: 'sgd', lr: 0.1 }] },
    steps: [
      { text: 'One path of gradient descent with learning rate 0.1 on a bowl whose steepest curvature is L = 10: it converges.', change: { view: 'paths' } },
      { text: 'Now a sweep of sixty-four learning rates at once: every rate above 2/L = 0.2 diverges, and the measured border sits on the line theory draws.', change: { view: 'sweep' } },
    ],
  }),
  lesson({
    id: 'momentum-ravine',
    title: 'Momentum in a narrow valley',
    text: 'A bowl a hundred times steeper across than along. Gradient descent\u2019s step must stay below the steep direction\u2019s limit of 2/L = 0.02, so along the flat valley floor it crawls. Momentum with the same step builds up speed along the floor and is ten times closer to the minimum after 100 steps.',
    setup: {
      surface: 'bowl', condition: 100, rotation: 30, start: [-1.8, 1.5], steps: 100,
      optimizers: [{ kind: 'sgd', lr: 0.01 }, { kind: 'momentum', lr: 0.01, momentum: 0.9 }],
    },
    steps: [
      { text: 'Gradient descent with learning rate 0.01 in a bowl a hundred times steeper across than along: its step must stay below 2/L = 0.02, so along the flat valley floor it crawls.', change: { optimizers: [{ kind: 'sgd', lr: 0.01 }] } },
      { text: 'Momentum 0.9 with the same learning rate 0.01 builds up speed along the floor, and is ten times closer to the minimum after 100 steps.', change: { optimizers: [{ kind: 'sgd', lr: 0.01 }, { kind: 'momentum', lr: 0.01, momentum: 0.9 }] } },
    ],
  }),
  lesson({
    id: 'adam-rosenbrock',
    title: 'Adam against SGD in Rosenbrock\u2019s valley',
    text: 'Rosenbrock\u2019s banana-shaped valley is easy to find and hard to follow. SGD, with a step small enough not to blow up on the steep walls, barely moves along the floor. Adam scales each coordinate\u2019s step by its own gradient history and walks down the valley towards the minimum at (1, 1).',
    setup: {
      surface: 'rosenbrock', start: [-1.5, 2], steps: 500,
      optimizers: [{ kind: 'sgd', lr: 0.001 }, { kind: 'adam', lr: 0.05 }],
    },
    steps: [
      { text: 'In Rosenbrock\u2019s banana-shaped valley, gradient descent with learning rate 0.001, a step small enough not to blow up on the steep walls, barely moves along the floor.', change: { optimizers: [{ kind: 'sgd', lr: 0.001 }] } },
      { text: 'Adam with learning rate 0.05 scales each coordinate\u2019s step by its own gradient history, and walks down the valley towards the minimum at (1, 1).', change: { optimizers: [{ kind: 'sgd', lr: 0.001 }, { kind: 'adam', lr: 0.05 }] } },
    ],
  }),
  lesson({
    id: 'saddle',
    title: 'Stuck at a saddle point',
    text: 'On x² − y² the origin is a saddle: uphill along x, downhill along y. Started almost exactly on the ridge, gradient descent slides to the saddle and waits there, because the push along y is tiny. Adam turns that tiny gradient into a full-size step and leaves at once.',
    setup: { surface: 'saddle', start: [1.5, 0.001], steps: 100, optimizers: [{ kind: 'sgd', lr: 0.01 }, { kind: 'adam', lr: 0.05 }] },
    steps: [
      { text: 'On the saddle x² − y², gradient descent with learning rate 0.01 started at (1.5, 0.5), away from the ridge y = 0, slides downhill along y and off the plot.', change: { start: [1.5, 0.5], optimizers: [{ kind: 'sgd', lr: 0.01 }] } },
      { text: 'Started at (1.5, 0.001), almost on the ridge, it slides to the saddle and waits there: the push along y is tiny.', change: { start: [1.5, 0.001] } },
      { text: 'Adam with learning rate 0.05 turns that tiny gradient into a full-size step and leaves at once.', change: { optimizers: [{ kind: 'sgd', lr: 0.01 }, { kind: 'adam', lr: 0.05 }] } },
    ],
  }),
  lesson({
    id: 'saddle-stall',
    title: 'Which starts a saddle holds',
    text: 'Every start of the plane, coloured by where gradient descent is after 300 steps: black ones have slid more than ten plot-widths away, white ones have not. The white band along y = 0 are the starts that first ran to the saddle and lingered there, because the push away from it grows by only 2% a step: the closer to the ridge a start is, the longer it stalls.',
    setup: { surface: 'saddle', start: [1.5, 0.05], steps: 300, view: 'basins', optimizers: [{ kind: 'sgd', lr: 0.01 }] },
    steps: [
      { text: 'Gradient descent with learning rate 0.01 on the saddle, from (1.5, 0.05) near the ridge: the path runs to the saddle, lingers, then slides off along y.', change: { view: 'paths' } },
      { text: 'Now the map of every start, coloured by where it is after 300 steps: black ones slid away, white ones did not. The white band along y = 0 stalled at the saddle.', change: { view: 'basins' } },
    ],
  }),
  lesson({
    id: 'himmelblau-basins',
    title: 'Himmelblau\u2019s four basins',
    text: 'Himmelblau\u2019s function has four minima, all equally low. Which one gradient descent finds depends only on where it starts: the map colours every start by the minimum it ends in. Click the plot to try a start of your own.',
    setup: { surface: 'himmelblau', start: [0, 0], steps: 300, view: 'basins', optimizers: [{ kind: 'sgd', lr: 0.01 }] },
    steps: [
      { text: 'Gradient descent with learning rate 0.01 on Himmelblau\u2019s function, from (0, 0): it ends in one of four equally low minima.', change: { view: 'paths' } },
      { text: 'The map colours every start by the minimum it ends in: four basins. Click the plot to try a start of your own.', change: { view: 'basins' } },
    ],
  }),
  lesson({
    id: 'six-hump-trap',
    title: 'The six-hump camel\u2019s local-minimum trap',
    text: 'The six-hump camel has two global minima and four local ones. From the marked start, gradient descent with a small step ends in the local minimum at (1.70, −0.80), while momentum carries the same run over the ridge into the global one at (0.09, −0.71). Over all starts, about half reach a global minimum with plain gradient descent and more with momentum.',
    setup: {
      surface: 'six-hump-camel', start: [2, 0], steps: 300, view: 'basins',
      optimizers: [{ kind: 'sgd', lr: 0.01 }, { kind: 'momentum', lr: 0.01, momentum: 0.9 }],
    },
    steps: [
      { text: 'On the six-hump camel, gradient descent with learning rate 0.01 from (2, 0) ends in the local minimum at (1.70, −0.80).', change: { view: 'paths', optimizers: [{ kind: 'sgd', lr: 0.01 }] } },
      { text: 'Momentum 0.9 with the same learning rate 0.01 carries the same run over the ridge into the global minimum at (0.09, −0.71).', change: { optimizers: [{ kind: 'sgd', lr: 0.01 }, { kind: 'momentum', lr: 0.01, momentum: 0.9 }] } },
      { text: 'The map of every start\u2019s basin: about half reach a global minimum with plain gradient descent, and more with momentum.', change: { view: 'basins' } },
    ],
  }),
  lesson({
    id: 'rastrigin',
    title: 'Rastrigin\u2019s many local minima',
    text: 'Rastrigin\u2019s function is a bowl covered in ripples, with a local minimum near every whole-number point. Gradient descent with a small step falls into the nearest ripple, so only starts close to the centre reach the global minimum.',
    setup: { surface: 'rastrigin', start: [2.3, 1.6], steps: 200, view: 'basins', optimizers: [{ kind: 'sgd', lr: 0.002 }] },
    steps: [
      { text: 'Rastrigin\u2019s function is a bowl covered in ripples. Gradient descent with learning rate 0.002 from (2.3, 1.6) falls into the nearest ripple, a local minimum near (2, 2).', change: { view: 'paths' } },
      { text: 'The map of every start\u2019s basin: only starts close to the centre reach the global minimum.', change: { view: 'basins' } },
    ],
  }),
  lesson({
    id: 'adaptive-scaling',
    title: 'RMSProp and Adagrad on a badly scaled bowl',
    text: 'When one direction is a hundred times steeper, one learning rate cannot suit both. RMSProp and Adagrad divide each coordinate\u2019s step by the size of its recent gradients, so both directions shrink at the same pace, while SGD is still far out along the flat one.',
    setup: {
      surface: 'bowl', condition: 100, rotation: 0, start: [-1.8, 1.5], steps: 100,
      optimizers: [{ kind: 'sgd', lr: 0.018 }, { kind: 'rmsprop', lr: 0.05 }, { kind: 'adagrad', lr: 0.5 }],
    },
    steps: [
      { text: 'A bowl a hundred times steeper in one direction: gradient descent with learning rate 0.018 is still far out along the flat one after 100 steps.', change: { optimizers: [{ kind: 'sgd', lr: 0.018 }] } },
      { text: 'RMSProp with learning rate 0.05 divides each coordinate\u2019s step by the size of its recent gradients, so both directions shrink at the same pace.', change: { optimizers: [{ kind: 'sgd', lr: 0.018 }, { kind: 'rmsprop', lr: 0.05 }] } },
      { text: 'Adagrad with learning rate 0.5 divides by all its past gradients, and closes in on the minimum too.', change: { optimizers: [{ kind: 'sgd', lr: 0.018 }, { kind: 'rmsprop', lr: 0.05 }, { kind: 'adagrad', lr: 0.5 }] } },
    ],
  }),
  lesson({
    id: 'mini-batch-noise',
    title: 'Full batch against mini-batch noise',
    text: 'The lab\u2019s surfaces are exact, like a loss computed on all the data: the path is smooth. A network trained on mini-batches sees a different slice of the data each step, so its loss jitters from step to step. Train the same spiral network both ways on the training screen and compare the two loss curves.',
    setup: { surface: 'himmelblau', start: [0, 0], steps: 150, optimizers: [{ kind: 'sgd', lr: 0.01 }] },
    training: [FULL_BATCH, MINI_BATCH],
    steps: [
      { text: 'Gradient descent with learning rate 0.01 on Himmelblau\u2019s function: the lab\u2019s surfaces are exact, like a loss computed on all the data, so the path is smooth.' },
      { text: 'On the training screen, the spiral network on all 150 training points a step: its loss falls as smoothly.', training: FULL_BATCH },
      { text: 'The same network on mini-batches of 5 points a step sees a different slice of the data each step, so its loss jitters from step to step.', training: MINI_BATCH },
    ],
  }),
];

/** The user's own lessons the lab knows beside the built-in ones (see {@link useOwnLessons}). */
let own: Lesson[] = [];

/**
 * A lesson of one's own (saved from the lab, or brought by a class pack) as the lab tells it:
 * each line of its words is a step, read out on the lesson's setup; lines past
 * MAX_LESSON_STEPS join the last step. Undefined when its setup does not pass the lab's check
 * under its id.
 *
 * @example
 * ownLesson({ id: 'a1', title: 'Saddles', text: 'SGD waits.\nAdam leaves.', setup })?.steps.map((s) => s.text);
 * // → ['SGD waits.', 'Adam leaves.']
 */
export function ownLesson(record: { id: string; title: string; text: string; setup: LabSpec }): Lesson | undefined {
  const lines = record.text.split('\n').map((line) => line.trim()).filter(Boolean);
  const texts = lines.length > MAX_LESSON_STEPS ? [...lines.slice(0, MAX_LESSON_STEPS - 1), lines.slice(MAX_LESSON_STEPS - 1).join(' ')] : lines.length ? lines : [''];
  const steps = texts.map((text, k): LessonStep => ({ text, setup: { ...structuredClone(record.setup), lesson: record.id, lessonStep: k + 1 } }));
  if (!steps.every((step) => validateLab(step.setup).ok)) return undefined;
  return { id: record.id, title: record.title, text: '', setup: steps[steps.length - 1].setup, steps };
}

/**
 * Makes the user's own lessons (see {@link ownLesson}) known to {@link findLesson} and to the
 * checks of lab setups and links, beside the built-in ones, which keep their ids.
 */
export function useOwnLessons(lessons: Lesson[]): void {
  own = lessons.filter((l) => !LESSONS.some((b) => b.id === l.id));
}

/** The user's own lessons the lab knows, newest first as given. */
export function ownLessons(): readonly Lesson[] {
  return own;
}

/** The lesson with this id, built-in or one's own, if there is one. */
export function findLesson(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id) ?? own.find((l) => l.id === id);
}

/** The setup of a lesson's step (from 1), if the lesson and the step exist. */
export function lessonStepSetup(id: string, step: number): LabSpec | undefined {
  return findLesson(id)?.steps[step - 1]?.setup;
}

/**
 * Checks a lab setup as {@link validateLab} does, and its lesson step against the lesson's
 * narrative: a known lesson's step is one of its steps, or 0 for its whole picture (as a link
 * without a step opens it, and as a setup saved from there keeps it); any other setup's step is 0.
 */
export function validateLessonLab(input: unknown): ValidationResult<LabSpec> {
  const result = validateLab(input);
  if (!result.ok) return result;
  const { lesson: id, lessonStep } = result.spec;
  const known = findLesson(id);
  if (known && (lessonStep < 0 || lessonStep > known.steps.length)) {
    return { ok: false, errors: [{ path: 'lessonStep', message: `The lesson "${known.title}" has steps 1 to ${known.steps.length} (got ${lessonStep}).` }] };
  }
  if (!known && lessonStep !== 0) return { ok: false, errors: [{ path: 'lessonStep', message: `Only a known lesson has steps (got step ${lessonStep}).` }] };
  return result;
}
