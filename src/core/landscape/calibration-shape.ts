/**
 * The lab's calibration work as data, apart from the engine that runs it, so that the page
 * can name it (the key its measurement is remembered under) without loading tfjs: a small
 * basin map of the lab's shape.
 */
export const LAB_CALIBRATION = { surface: 'himmelblau', optimizer: { kind: 'adam' as const, lr: 0.05 }, grid: { size: 64 }, steps: 100 };

/** The shape of {@link LAB_CALIBRATION}, the key its measurement is remembered under. */
export const LAB_CALIBRATION_SHAPE = 'lab basin map 64×64×100';
