import { afterEach, expect, test } from 'vitest';
import { DEFAULT_LAB } from '../../src/core/landscape/lab-spec';
import { findLesson, LESSONS, ownLesson, ownLessons, useOwnLessons, validateLessonLab } from '../../src/core/landscape/lessons';

const setup = { ...DEFAULT_LAB, surface: 'saddle', start: [-1, 0.01] as [number, number], lesson: 'saddle', lessonStep: 0 };

afterEach(() => useOwnLessons([]));

test("a teacher's lesson is told a line a step, every step on the teacher's setup under the lesson's own id", () => {
  const lesson = ownLesson({ id: 'b7e0c1d2-0000-4000-8000-000000000001', title: 'Saddles, 3B', text: '  SGD waits at the saddle.\n\nAdam leaves at once.  \n', setup })!;
  expect(lesson.steps.map((s) => s.text)).toEqual(['SGD waits at the saddle.', 'Adam leaves at once.']);
  expect(lesson.steps.map((s) => [s.setup.lesson, s.setup.lessonStep, s.setup.surface, s.setup.start])).toEqual([
    ['b7e0c1d2-0000-4000-8000-000000000001', 1, 'saddle', [-1, 0.01]],
    ['b7e0c1d2-0000-4000-8000-000000000001', 2, 'saddle', [-1, 0.01]],
  ]);
  // The whole picture is the last step's; the words are all in the steps.
  expect([lesson.setup.lessonStep, lesson.text, lesson.title]).toEqual([2, '', 'Saddles, 3B']);
});

test('past eight lines, the rest joins the last step; no words make one empty step; an id the lab cannot name is refused', () => {
  const many = ownLesson({ id: 'many', title: 'Many', text: Array.from({ length: 10 }, (_, k) => `Line ${k + 1}.`).join('\n'), setup })!;
  expect(many.steps.map((s) => s.text)).toEqual(['Line 1.', 'Line 2.', 'Line 3.', 'Line 4.', 'Line 5.', 'Line 6.', 'Line 7.', 'Line 8. Line 9. Line 10.']);
  expect(ownLesson({ id: 'quiet', title: 'Quiet', text: ' \n ', setup })!.steps).toEqual([{ text: '', setup: { ...setup, lesson: 'quiet', lessonStep: 1 } }]);
  expect(ownLesson({ id: 'Not An Id!', title: 'Odd', text: 'Hello.', setup })).toBeUndefined();
});

test("once known, a teacher's lesson is found and its steps pass the lab's check; a built-in lesson's id stays the built-in's", () => {
  const mine = ownLesson({ id: 'mine', title: 'Mine', text: 'One.\nTwo.', setup })!;
  const clash = ownLesson({ id: LESSONS[0].id, title: 'Clash', text: 'Three.', setup })!;
  expect(validateLessonLab({ ...setup, lesson: 'mine', lessonStep: 2 }).ok).toBe(false);
  useOwnLessons([mine, clash]);
  expect(ownLessons()).toEqual([mine]);
  expect(findLesson('mine')).toBe(mine);
  expect(findLesson(LESSONS[0].id)).toBe(LESSONS[0]);
  expect(validateLessonLab(mine.steps[1].setup)).toEqual({ ok: true, spec: mine.steps[1].setup });
  expect(validateLessonLab({ ...setup, lesson: 'mine', lessonStep: 3 }).ok).toBe(false);
});
