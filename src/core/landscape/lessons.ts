import { DEFAULT_LAB, type LabSpec } from './lab-spec';

/** A one-click lesson: a lab setup and a few sentences for a classroom. */
export interface Lesson {
  id: string;
  title: string;
  text: string;
  setup: LabSpec;
  /** A setup of the training screen the lesson continues on, as its link's query. */
  trainLink?: string;
}

const lab = (id: string, setup: Partial<LabSpec>): LabSpec => ({ ...DEFAULT_LAB, ...setup, lesson: id });

/** The lessons of the lab, in teaching order. Each claim in a text is checked in tests/unit/lessons.test.ts. */
export const LESSONS: Lesson[] = [
  {
    id: 'learning-rates',
    title: 'Too small, right, oscillating, diverging',
    text: 'Four runs of plain gradient descent on a round bowl, differing only in the learning rate. The smallest creeps and is still far away after 40 steps; 0.8 arrives in a few; 1.8 overshoots to the other side each step and still settles; 2.05 overshoots further each time and flies off. On this bowl the border is exactly lr = 2.',
    setup: lab('learning-rates', {
      surface: 'bowl', condition: 1, rotation: 0, start: [-3.5, 2.5], steps: 40,
      optimizers: [{ kind: 'sgd', lr: 0.02 }, { kind: 'sgd', lr: 0.8 }, { kind: 'sgd', lr: 1.8 }, { kind: 'sgd', lr: 2.05 }],
    }),
  },
  {
    id: 'stability-bound',
    title: 'Where gradient descent becomes unstable',
    text: 'Sixty learning rates at once on a bowl whose steepest curvature is L = 10. The final loss falls as the rate grows, then the runs start to oscillate, and every rate above 2/L = 0.2 diverges: the measured border sits on the line theory draws.',
    setup: lab('stability-bound', { surface: 'bowl', condition: 10, rotation: 30, start: [-3, 3], steps: 100, view: 'sweep', optimizers: [{ kind: 'sgd', lr: 0.1 }] }),
  },
  {
    id: 'momentum-ravine',
    title: 'Momentum in a narrow valley',
    text: 'A bowl a hundred times steeper across than along. Gradient descent must keep its step below the steep direction\u2019s limit, so it crawls along the valley floor. Momentum with the same step builds up speed along the floor and arrives long before.',
    setup: lab('momentum-ravine', {
      surface: 'bowl', condition: 100, rotation: 30, start: [-4, 4], steps: 100,
      optimizers: [{ kind: 'sgd', lr: 0.018 }, { kind: 'momentum', lr: 0.018, momentum: 0.9 }],
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
    text: 'On x² − y² the origin is a saddle: downhill in y, uphill in x. Started almost exactly on the ridge, gradient descent slides to the saddle and waits there, because the push in y is tiny. Adam normalises that tiny gradient into a full-size step and leaves at once.',
    setup: lab('saddle', { surface: 'saddle', start: [1.5, 0.001], steps: 100, optimizers: [{ kind: 'sgd', lr: 0.01 }, { kind: 'adam', lr: 0.05 }] }),
  },
  {
    id: 'himmelblau-basins',
    title: 'Himmelblau\u2019s four basins',
    text: 'Himmelblau\u2019s function has four minima, all equally low. Which one gradient descent finds depends only on where it starts: the map colours every start by the minimum it ends in. Click the plot to try a start of your own.',
    setup: lab('himmelblau-basins', { surface: 'himmelblau', steps: 300, view: 'basins', optimizers: [{ kind: 'sgd', lr: 0.01 }] }),
  },
  {
    id: 'six-hump-trap',
    title: 'A local-minimum trap',
    text: 'The six-hump camel has two global minima and four local ones. Plain gradient descent ends wherever its start\u2019s valley leads: half the starts reach a global minimum. Momentum carries runs over low ridges, and more of them end in a global minimum.',
    setup: lab('six-hump-trap', {
      surface: 'six-hump-camel', steps: 300, view: 'basins',
      optimizers: [{ kind: 'sgd', lr: 0.01 }, { kind: 'momentum', lr: 0.01, momentum: 0.9 }],
    }),
  },
  {
    id: 'adaptive-scaling',
    title: 'RMSProp and Adagrad on a badly scaled bowl',
    text: 'When one direction is a hundred times steeper, one learning rate cannot suit both. RMSProp and Adagrad divide each coordinate\u2019s step by the size of its recent gradients, so both directions shrink at the same pace, while SGD is still far out along the flat one.',
    setup: lab('adaptive-scaling', {
      surface: 'bowl', condition: 100, rotation: 0, start: [-4, 4], steps: 100,
      optimizers: [{ kind: 'sgd', lr: 0.018 }, { kind: 'rmsprop', lr: 0.05 }, { kind: 'adagrad', lr: 0.5 }],
    }),
  },
  {
    id: 'rastrigin',
    title: 'Rastrigin\u2019s many local minima',
    text: 'Rastrigin\u2019s function is a bowl covered in ripples: a local minimum at every whole-number point. Gradient descent with a small step falls into the nearest ripple, so only starts close to the centre reach the global minimum.',
    setup: lab('rastrigin', { surface: 'rastrigin', steps: 200, view: 'basins', optimizers: [{ kind: 'sgd', lr: 0.002 }] }),
  },
  {
    id: 'mini-batch-noise',
    title: 'Full batch against mini-batch noise',
    text: 'On a real network the loss surface is an average over the data. A full batch follows that average exactly and moves smoothly; a mini-batch sees a different slice each step, so its path jitters, which can help it leave flat regions. Compare the two loss curves on the training screen.',
    setup: lab('mini-batch-noise', { surface: 'himmelblau', optimizers: [{ kind: 'sgd', lr: 0.01 }] }),
    trainLink: 'data=spiral&n=300&noise=10&split=0.5&dataSeed=1&features=x1,x2&hidden=8:tanh,8:tanh&l1=0&l2=0&dropout=0&opt=sgd&lr=0.1&batch=150&epochs=200&clip=0&patience=0&schedule=constant&seed=1',
  },
];
