import { describe, expect, test } from 'vitest';
import { presenterCommand, type KeyTarget } from '../../src/ui/presenter/keys';
import { Presenter, PRESENTER_KEY } from '../../src/ui/presenter/presenter.svelte';

const element = (tagName: string, attributes: Record<string, string> = {}, inDialog = false): KeyTarget => ({
  tagName,
  isContentEditable: attributes.contenteditable === 'true',
  getAttribute: (name) => attributes[name] ?? null,
  closest: (selector) => (selector === 'dialog' && inDialog ? {} : null),
});
const press = (key: string, target: KeyTarget | null = element('BODY'), extra: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; defaultPrevented: boolean }> = {}) => ({
  key, target, ctrlKey: false, metaKey: false, altKey: false, defaultPrevented: false, ...extra,
});

describe('presenter keys', () => {
  test('while presenting: Space plays, → and Page Down go on, ← and Page Up go back, P toggles', () => {
    expect([' ', 'ArrowRight', 'PageDown', 'ArrowLeft', 'PageUp', 'p', 'P', 'x', 'Enter'].map((k) => presenterCommand(press(k), true))).toEqual([
      'play', 'next', 'next', 'back', 'back', 'toggle', 'toggle', null, null,
    ]);
  });

  test('outside presenter mode only P is taken: Space still scrolls the page', () => {
    expect([' ', 'ArrowRight', 'ArrowLeft', 'p'].map((k) => presenterCommand(press(k), false))).toEqual([null, null, null, 'toggle']);
  });

  test('keys typed into a field are never taken, nor those inside a dialog or with a modifier', () => {
    for (const target of [element('INPUT'), element('TEXTAREA'), element('SELECT'), element('DIV', { contenteditable: 'true' }), element('DIV', { role: 'textbox' })]) {
      for (const key of ['p', ' ', 'ArrowRight', 'ArrowLeft']) expect(presenterCommand(press(key, target), true), `${target.tagName} ${key}`).toBeNull();
    }
    expect(presenterCommand(press('ArrowRight', element('BUTTON', {}, true)), true)).toBeNull();
    expect(presenterCommand(press('p', element('BODY'), { ctrlKey: true }), true)).toBeNull();
    expect(presenterCommand(press('ArrowRight', element('BODY'), { altKey: true }), true)).toBeNull();
    expect(presenterCommand(press(' ', element('BODY'), { defaultPrevented: true }), true)).toBeNull();
  });

  test('Space on a control that Space presses is left to it; arrows within tabs and sliders too', () => {
    expect(presenterCommand(press(' ', element('BUTTON')), true)).toBeNull();
    expect(presenterCommand(press(' ', element('SUMMARY')), true)).toBeNull();
    // A link just clicked in the navigation keeps the focus; Space there would only scroll.
    expect(presenterCommand(press(' ', element('A')), true)).toBe('play');
    expect(presenterCommand(press(' ', element('DIV', { role: 'checkbox' })), true)).toBeNull();
    expect(presenterCommand(press('ArrowRight', element('BUTTON')), true)).toBe('next');
    expect(presenterCommand(press('ArrowRight', element('BUTTON', { role: 'tab' })), true)).toBeNull();
    expect(presenterCommand(press('ArrowLeft', element('DIV', { role: 'slider' })), true)).toBeNull();
    expect(presenterCommand(press('PageDown', element('BUTTON', { role: 'tab' })), true)).toBe('next');
    expect(presenterCommand(press(' ', null), true)).toBe('play');
  });
});

describe('presenter mode', () => {
  const memory = () => {
    const saved = new Map<string, string>();
    return { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => void saved.set(k, v), saved };
  };
  const key = (k: string) => {
    let prevented = false;
    return { ...press(k), preventDefault: () => (prevented = true), get prevented() { return prevented; } };
  };

  test('is remembered: a new page starts as the last one was left', () => {
    const store = memory();
    const first = new Presenter(store);
    expect(first.on).toBe(false);
    first.toggle();
    expect([first.on, first.lineScale, store.saved.get(PRESENTER_KEY)]).toEqual([true, 2, 'on']);
    expect(new Presenter(store).on).toBe(true);
    first.toggle();
    expect(new Presenter(store).on).toBe(false);
  });

  test('switches even where storage is refused', () => {
    const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    const p = new Presenter(refusing);
    p.toggle();
    expect(p.on).toBe(true);
  });

  test("drives the bound screen's controls, and leaves keys to the page where no screen is bound", () => {
    const p = new Presenter(memory());
    const calls: string[] = [];
    const p1 = key('p');
    p.handleKey(p1);
    expect([p.on, p1.prevented]).toEqual([true, true]);
    const unbound = key(' ');
    p.handleKey(unbound);
    expect(unbound.prevented).toBe(false);

    const release = p.bind({ play: () => calls.push('play'), next: () => calls.push('next') });
    for (const k of [' ', 'ArrowRight', 'ArrowLeft']) p.handleKey(key(k));
    expect(calls).toEqual(['play', 'next']); // no back on this screen
    const back = key('ArrowLeft');
    p.handleKey(back);
    expect(back.prevented).toBe(false);

    // A screen bound later replaces it; the first one's release no longer unbinds the second.
    const second = p.bind({ play: () => calls.push('play 2'), next: () => calls.push('next 2'), back: () => calls.push('back 2') });
    release();
    p.handleKey(key('ArrowLeft'));
    expect(calls.at(-1)).toBe('back 2');
    second();
    const after = key(' ');
    p.handleKey(after);
    expect([calls.length, after.prevented]).toEqual([3, false]);
  });
});
