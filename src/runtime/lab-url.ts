import { DEFAULT_LAB, optimizerListValue, validateLab, type LabSpec } from '../core/landscape/lab-spec';
import { createHashCodec, numberValue, textValue, type ValueCodec } from './url-state';

const pointValue: ValueCodec<[number, number]> = {
  format: ([x, y]) => `${x},${y}`,
  parse(text) {
    const parts = text.split(',').map(Number);
    return parts.length === 2 && parts.every(Number.isFinite) ? [parts[0], parts[1]] : undefined;
  },
};

/** The lab's setup in the URL hash (`#/lab?surface=…`), one row per field, so a teacher's link shows the same picture. */
export const labHash = createHashCodec<LabSpec>(
  [
    { name: 'surface', path: 'surface', type: textValue },
    { name: 'condition', path: 'condition', type: numberValue },
    { name: 'rotation', path: 'rotation', type: numberValue },
    { name: 'opt', path: 'optimizers', type: optimizerListValue as ValueCodec<unknown> },
    { name: 'start', path: 'start', type: pointValue as ValueCodec<unknown> },
    { name: 'steps', path: 'steps', type: numberValue },
    { name: 'view', path: 'view', type: textValue },
    { name: 'lesson', path: 'lesson', type: textValue },
  ],
  DEFAULT_LAB,
  validateLab,
);
