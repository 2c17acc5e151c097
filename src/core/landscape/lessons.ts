import { DEFAULT_EXPERIMENT } from '../spec/defaults';
import type { ExperimentSpec } from '../spec/experiment';
import { DEFAULT_LAB, type LabSpec } from './lab-spec';

/** A setup of the training screen that a lesson continues on, with the words of its link. */
export interface LessonTraining {
  label: string;
  spec: ExperimentSpec;
}

/** A one-click lesson: a lab setup and a few sentences for a classroom. */
export interface Lesson {
  id: string;
  title: string;
  /** Two or three sentences a teacher can read out; every claim in them is checked in tests/unit/lab-lessons.test.ts. */
  text: string;
  setup: LabSpec;
  /** Experiments of the training screen the lesson continues with (links `#/train?…`). */
  training?: LessonTraining[];
}

const lab = (id: string, setup: Partial<LabSpec>): LabSpec => ({ ...structuredClone(DEFAULT_LAB), ...setup, lesson: id });

/** The spiral with a small tanh network and plain SGD: noisy enough that the batch size shows. */
const spiral = (batchSize: number): ExperimentSpec => ({
  ...structuredClone(DEFAULT_EXPERIMENT),
  data: { kind: 'spiral', n: 300, noise: 10, trainRatio: 0.5, seed: 1 },
  model: { features: ['x1', 'x2'], hidden: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }], l1: 0, l2: 0, dropout: 0 },
  optimizer: { kind: 'sgd', lr: 0.1 },
  training: { batchSize, epochs: 200, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
  seed: 1,
});

/** The lessons of the lab, in teaching order. */
export const LESSONS: Lesson[] = [
  {
    id: 'learning-rates',
    title: 'Learning rate: too small, right, oscillating, diverging',
    text: 'Four runs of plain gradient descent on a round bowl, differing only in the learning rate. 0.02 creeps and is still far from the centre after 40 steps; 0.8 arrives in a few; 1.8 jumps to the other side at every step and still settles; 2.05 jumps further each time and flies off. On this bowl the border is exactly lr = 2.',
    setup: lab('learning-rates', {
      surface: 'bowl', condition: 1, rotation: 0, start: [-1.6, 1.2], steps: 40,
      optimizers: [{ kind: 'sgd', lr: 0.02 }, { kind: 'sgd', lr: 0.8 }, { kind: 'sgd', lr: 1.8 }, { kind: 'sgd', lr: 2.05 }],
    }),
  },
  {
    id: 'stability-bound',
    title: 'Where gradient descent becomes unstable',
    text: 'Sixty-four learning rates at once on a bowl whose steepest curvature is L = 10. Too small a rate barely moves in 100 steps; larger ones converge; closer to the border the runs zig-zag across the valley; every rate above 2/L = 0.2 diverges. The measured border sits on the line theory draws.',
    setup: lab('stability-bound', { surface: 'bowl', condition: 10, rotation: 30, start: [-1.5, 1.5], steps: 100, view: 'sweep', optimizers: [{ kind: 'sgd', lr: 0.1 }] }),
  },
  {
    id: 'momentum-ravine',
    title: 'Momentum in a narrow valley',
    text: 'A bowl a hundred times steeper across than along. Gradient descent\u2019s step must stay below the steep direction\u2019s limit of 2/L = 0.02, so along the flat valley floor it crawls. Momentum with the same step builds up speed along the floor and is ten times closer to the minimum after 100 steps.',
    setup: lab('momentum-ravine', {
      surface: 'bowl', condition: 100, rotation: 30, start: [-1.8, 1.5], steps: 100,
      optimizers: [{ kind: 'sgd', lr: 0.01 }, { kind: 'momentum', lr: 0.01, momentum: 0.9 }],
    }),
  },
  {
    id: 'adam-rosenbrock',
    title: 'Adam against SGD in Rosenbrock\u2019s valley',
    text: 'Rosenbrock\u2019s banana-shaped valley is easy to find and hard to follow. SGD, with a step small enough not to blow up on the steep walls, barely moves along the floor. Adam scales each coordinate\u2019s step by its own gradient history and walks down the valley towards the minimum at (1, 1).',
    setup: lab('adam-rosenbrock', {
      surface: 'rosenbrock', start: [-1.5, 2], steps: 500,
      optimizers: [{ kind: 'sgd', lr: 0.001 }, { kind: 'adam', lr: 0.05 }],
    }),
  },
  {
    id: 'saddle',
    title: 'Stuck at a saddle point',
    text: 'On x² − y² the origin is a saddle: uphill along x, downhill along y. Started almost exactly on the ridge, gradient descent slides to the saddle and waits there, because the push along y is tiny. Adam turns that tiny gradient into a full-size step and leaves at once.',
    setup: lab('saddle', { surface: 'saddle', start: [1.5, 0.001], steps: 100, optimizers: [{ kind: 'sgd', lr: 0.01 }, { kind: 'adam', lr: 0.05 }] }),
  },
  {
    id: 'saddle-stall',
    title: 'Which starts a saddle holds',
    text: 'Every start of the plane, coloured by where gradient descent is after 300 steps: black ones have slid more than ten plot-widths away, white ones have not. The white band along y = 0 are the starts that first ran to the saddle and lingered there, because the push away from it grows by only 2% a step: the closer to the ridge a start is, the longer it stalls.',
    setup: lab('saddle-stall', { surface: 'saddle', start: [1.5, 0.05], steps: 300, view: 'basins', optimizers: [{ kind: 'sgd', lr: 0.01 }] }),
  },
  {
    id: 'himmelblau-basins',
    title: 'Himmelblau\u2019s four basins',
    text: 'Himmelblau\u2019s function has four minima, all equally low. Which one gradient descent finds depends only on where it starts: the map colours every start by the minimum it ends in. Click the plot to try a start of your own.',
    setup: lab('himmelblau-basins', { surface: 'himmelblau', start: [0, 0], steps: 300, view: 'basins', optimizers: [{ kind: 'sgd', lr: 0.01 }] }),
  },
  {
    id: 'six-hump-trap',
    title: 'The six-hump camel\u2019s local-minimum trap',
    text: 'The six-hump camel has two global minima and four local ones. From the marked start, gradient descent with a small step ends in the local minimum at (1.70, −0.80), while momentum carries the same run over the ridge into the global one at (0.09, −0.71). Over all starts, about half reach a global minimum with plain gradient descent and more with momentum.',
    setup: lab('six-hump-trap', {
      surface: 'six-hump-camel', start: [2, 0], steps: 300, view: 'basins',
      optimizers: [{ kind: 'sgd', lr: 0.01 }, { kind: 'momentum', lr: 0.01, momentum: 0.9 }],
    }),
  },
  {
    id: 'rastrigin',
    title: 'Rastrigin\u2019s many local minima',
    text: 'Rastrigin\u2019s function is a bowl covered in ripples, with a local minimum near every whole-number point. Gradient descent with a small step falls into the nearest ripple, so only starts close to the centre reach the global minimum.',
    setup: lab('rastrigin', { surface: 'rastrigin', start: [2.3, 1.6], steps: 200, view: 'basins', optimizers: [{ kind: 'sgd', lr: 0.002 }] }),
  },
  {
    id: 'adaptive-scaling',
    title: 'RMSProp and Adagrad on a badly scaled bowl',
    text: 'When one direction is a hundred times steeper, one learning rate cannot suit both. RMSProp and Adagrad divide each coordinate\u2019s step by the size of its recent gradients, so both directions shrink at the same pace, while SGD is still far out along the flat one.',
    setup: lab('adaptive-scaling', {
      surface: 'bowl', condition: 100, rotation: 0, start: [-1.8, 1.5], steps: 100,
      optimizers: [{ kind: 'sgd', lr: 0.018 }, { kind: 'rmsprop', lr: 0.05 }, { kind: 'adagrad', lr: 0.5 }],
    }),
  },
  {
    id: 'mini-batch-noise',
    title: 'Full batch against mini-batch noise',
    text: 'The lab\u2019s surfaces are exact, like a loss computed on all the data: the path is smooth. A network trained on mini-batches sees a different slice of the data each step, so its loss jitters from step to step. Train the same spiral network both ways on the training screen and compare the two loss curves.',
    setup: lab('mini-batch-noise', { surface: 'himmelblau', start: [0, 0], steps: 150, optimizers: [{ kind: 'sgd', lr: 0.01 }] }),
    training: [
      { label: 'Full batch (150 points a step)', spec: spiral(150) },
      { label: 'Mini-batch (5 points a step)', spec: spiral(5) },
    ],
  },
];

/** The lesson with this id, if there is one. */
export function findLesson(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}
