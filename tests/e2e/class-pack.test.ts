import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openSite, type Site } from './harness';
import { importSmallCsv, runSmallStudy, SMALL_XOR, trainToEnd } from './small-steps';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

/** Opens the Data screen and waits for the Class pack panel to list what is kept. */
async function openPackPanel(page: Page) {
  await page.getByRole('link', { name: 'Data' }).click();
  await expect.poll(() => page.getByTestId('class-pack').textContent(), { timeout: 30_000 }).toContain('Lessons');
}

/** Imports a pack file in the panel; gives the sentence it answered with, and whether it was a problem. */
async function importPack(page: Page, name: string, buffer: Buffer): Promise<{ problem: boolean; text: string }> {
  await page.setInputFiles('[data-testid=pack-input]', { name, mimeType: 'application/json', buffer });
  const answer = page.locator('[data-testid=pack-result], [data-testid=pack-problem]');
  await expect.poll(() => answer.count(), { timeout: 30_000 }).toBe(1);
  return { problem: (await answer.getAttribute('data-testid')) === 'pack-problem', text: (await answer.textContent())! };
}

test('a teacher exports a run, a study, a dataset and a lesson as a class pack; a fresh browser imports it once, and a bad file changes nothing', async () => {
  // At home: a run, a small study, an imported table and a lesson of the lab.
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}#/train?${SMALL_XOR}`);
  await trainToEnd(page, 3);
  await runSmallStudy(page);
  await importSmallCsv(page, 'garden.csv', 20);

  await page.goto(`${site.url}#/lab?lesson=saddle`);
  await page.getByText('Save this setup as a lesson').click();
  await page.getByRole('button', { name: 'Save lesson' }).click();
  await expect.poll(() => page.locator('.save-lesson [role=alert]').textContent()).toBe('A lesson needs a title.');
  await page.getByLabel('Title').fill('Saddle points, class 3B');
  await page.getByLabel('What to say').fill('Gradient descent waits at the saddle.\nAdam leaves at once.');
  await page.getByRole('button', { name: 'Save lesson' }).click();
  await expect.poll(() => page.locator('.save-lesson [role=status]').textContent()).toContain('“Saddle points, class 3B” is saved');

  // The pack: everything of each kind.
  await openPackPanel(page);
  for (const legend of ['Runs', 'Studies', 'Datasets', 'Lessons']) {
    await page.locator('[data-testid=class-pack] fieldset', { has: page.locator(`legend:text-is("${legend}")`) }).getByLabel('All').check();
  }
  const folder = mkdtempSync(join(tmpdir(), 'tunelab-pack-'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export class pack' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^tunelab-class-pack-\d{4}-\d{2}-\d{2}\.json$/);
  const path = join(folder, download.suggestedFilename());
  await download.saveAs(path);
  expect(await page.textContent('[data-testid=pack-result]')).toBe('Exported 1 run, 1 study, 1 dataset, 1 lesson.');
  await page.screenshot({ path: 'test-results/e2e-class-pack-export.png', fullPage: true });
  const text = readFileSync(path, 'utf8');
  const pack = JSON.parse(text);
  expect([pack.format, pack.version, pack.runs.length, pack.studies[0].trials.length, pack.datasets[0].name, pack.lessons[0].title])
    .toEqual(['tunelab-class-pack', 1, 1, 2, 'garden', 'Saddle points, class 3B']);
  expect(errors).toEqual([]);

  // In class: a fresh browser. Bad files first: each says why, by the picker, and nothing is saved.
  const fresh = await site.newPage();
  const student = fresh.page;
  await student.goto(`${site.url}#/data`);
  await openPackPanel(student);
  expect(await importPack(student, 'notes.json', Buffer.from('{"hello": 1}'))).toEqual({ problem: true, text: '“notes.json”: This file is not a tunelab class pack.' });
  const damaged = structuredClone(pack);
  damaged.runs[0].weightShapes = [[7, 7]];
  expect(await importPack(student, 'damaged.json', Buffer.from(JSON.stringify(damaged)))).toEqual({
    problem: true, text: '“damaged.json”: This class pack cannot be imported: Run 1 is damaged or was written by another program. Nothing was changed.',
  });
  expect(await student.getByTestId('class-pack').locator('li').count()).toBe(0);

  expect(await importPack(student, 'pack.json', Buffer.from(text))).toEqual({ problem: false, text: '1 run added; 1 study added; 1 dataset added; 1 lesson added.' });
  expect(await importPack(student, 'pack.json', Buffer.from(text))).toEqual({ problem: false, text: '1 run already here; 1 study already here; 1 dataset already here; 1 lesson already here.' });
  await expect.poll(() => student.locator('[data-testid=library-entry]').count()).toBe(1);
  expect(await student.getByTestId('pack-lessons').textContent()).toContain('Saddle points, class 3B');
  await student.screenshot({ path: 'test-results/e2e-class-pack-import.png', fullPage: true });

  // Every screen finds what came: the run, the study with its trials, the lesson's lab setup.
  await student.getByRole('link', { name: 'Train' }).click();
  await expect.poll(() => student.locator('[data-testid=run-history] li').count()).toBe(1);
  await student.getByRole('link', { name: 'Study' }).click();
  await expect.poll(() => student.locator('[data-testid=study-list] li').count()).toBe(1);
  await student.getByRole('link', { name: 'Data' }).click();
  await student.getByTestId('pack-lessons').getByRole('link', { name: 'Open in the lab' }).click();
  // The teacher's own words, told a line a step as the built-in lessons are, on the teacher's setup.
  const stepText = () => student.textContent('[data-testid=lesson-step-text]');
  await expect.poll(stepText, { timeout: 30_000 }).toBe('Gradient descent waits at the saddle.');
  expect(await student.textContent('.lessons .open h3')).toBe('Saddle points, class 3B');
  expect(await student.textContent('[data-testid=lesson-step] .count')).toBe('Step 1 of 2');
  expect(await student.getByTestId('own-lessons').getByRole('button', { name: 'Saddle points, class 3B' }).getAttribute('aria-pressed')).toBe('true');
  expect(await student.locator('select[aria-label=Surface]').inputValue()).toBe(pack.lessons[0].setup.surface);
  await student.getByRole('button', { name: 'Next step' }).click();
  await expect.poll(stepText).toBe('Adam leaves at once.');
  expect(await student.getByRole('button', { name: 'Next step' }).isDisabled()).toBe(true);
  // Presenter mode's ← and → move through it too, and the link names the step.
  await student.locator('#lessons-h').click();
  await student.keyboard.press('p');
  await student.keyboard.press('ArrowLeft');
  await expect.poll(stepText).toBe('Gradient descent waits at the saddle.');
  expect(new URL(student.url()).hash).toMatch(new RegExp(`lesson=${pack.lessons[0].id}&lessonStep=1`));
  await student.keyboard.press('ArrowRight');
  await expect.poll(stepText).toBe('Adam leaves at once.');
  expect(fresh.errors).toEqual([]);
});
