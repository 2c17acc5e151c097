import * as v from 'valibot';
import { validateLab } from '../../core/landscape/lab-spec';
import type { LessonRecord } from './schema';

/** The longest lesson title and text kept. */
export const LESSON_LIMITS = { title: 120, text: 4000 } as const;

const lessonSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(LESSON_LIMITS.title)),
  text: v.pipe(v.string(), v.maxLength(LESSON_LIMITS.text)),
  createdAt: v.number(),
  setup: v.custom((setup) => validateLab(setup).ok),
});

/** Whether a lesson read back or brought in a class pack has a title, its words and a lab setup that passes the lab's own check. */
export function isLessonRecord(value: unknown): value is LessonRecord {
  return v.is(lessonSchema, value);
}
