// Which key presses presenter mode takes, and which it leaves to the page: never a key typed into
// a field, never Space on a control that Space itself activates, never an arrow that moves
// within a control (a slider, tabs, a list).

/** What a key asks of presenter mode. */
export type PresenterCommand = 'toggle' | 'play' | 'next' | 'back';

/** The element a key press is aimed at, as far as the decision needs it. */
export interface KeyTarget {
  tagName?: string;
  isContentEditable?: boolean;
  getAttribute?(name: string): string | null;
  closest?(selector: string): unknown;
}

/** A key press, as far as the decision needs it (a KeyboardEvent is one). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
  target: EventTarget | KeyTarget | null;
}

/** Elements that take typed keys. */
const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
/** Elements and roles that Space activates by itself (a link is not one: Space on a link scrolls). */
const SPACE_TAGS = new Set(['BUTTON', 'SUMMARY']);
const SPACE_ROLES = new Set(['button', 'tab', 'checkbox', 'switch', 'radio', 'menuitem', 'option']);
/** Roles whose arrow keys move within the control. */
const ARROW_ROLES = new Set(['tab', 'tablist', 'slider', 'spinbutton', 'radio', 'radiogroup', 'listbox', 'option', 'menu', 'menubar', 'menuitem', 'tree', 'grid', 'textbox', 'combobox']);

/**
 * The presenter command of a key press, or null when the page keeps the key. P toggles
 * presenter mode anywhere outside a field; while presenting, Space plays or pauses, → and
 * Page Down go a step on, ← and Page Up a step back. A press inside a dialog is left to it.
 */
export function presenterCommand(press: KeyPress, presenting: boolean): PresenterCommand | null {
  if (press.defaultPrevented || press.ctrlKey || press.metaKey || press.altKey) return null;
  const target = (press.target ?? {}) as KeyTarget;
  const tag = target.tagName?.toUpperCase() ?? '';
  const role = target.getAttribute?.('role') ?? '';
  if (TYPING_TAGS.has(tag) || target.isContentEditable || role === 'textbox' || role === 'combobox') return null;
  if (target.closest?.('dialog')) return null;
  if (press.key === 'p' || press.key === 'P') return 'toggle';
  if (!presenting) return null;
  if (press.key === ' ') return SPACE_TAGS.has(tag) || SPACE_ROLES.has(role) ? null : 'play';
  const arrowFree = !ARROW_ROLES.has(role);
  if (press.key === 'ArrowRight') return arrowFree ? 'next' : null;
  if (press.key === 'ArrowLeft') return arrowFree ? 'back' : null;
  if (press.key === 'PageDown') return 'next';
  if (press.key === 'PageUp') return 'back';
  return null;
}
