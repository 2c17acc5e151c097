import type { LabSpec } from '../../core/landscape/lab-spec';
import { LESSON_LIMITS } from '../store/lesson-check';
import type { LessonRecord } from '../store/schema';

/** A new lesson from the lab's setup, or the message for the field that stops it. */
export type NewLesson = { ok: true; lesson: LessonRecord } | { ok: false; field: 'title' | 'text'; message: string };

/** A lesson of the lab's current setup, with a title and the words a teacher reads out, checked. */
export function newLesson(title: string, text: string, setup: LabSpec, now = Date.now()): NewLesson {
  const t = title.trim();
  if (!t) return { ok: false, field: 'title', message: 'A lesson needs a title.' };
  if (t.length > LESSON_LIMITS.title) return { ok: false, field: 'title', message: `A title has at most ${LESSON_LIMITS.title} characters.` };
  if (text.length > LESSON_LIMITS.text) return { ok: false, field: 'text', message: `The text has at most ${LESSON_LIMITS.text} characters.` };
  return { ok: true, lesson: { id: crypto.randomUUID(), title: t, text: text.trim(), createdAt: now, setup: structuredClone(setup) } };
}
