import { presenterCommand, type KeyPress } from './keys';

/** What the keys drive on the screen in view; the screen registers it with {@link Presenter.bind}. */
export interface PresenterControls {
  /** Space: play, or pause what plays. */
  play(): void;
  /** → : one step on. */
  next(): void;
  /** ← : one step back, where the screen has one. */
  back?(): void;
}

/** Where the choice is remembered: the browser's local storage, or nothing where it is refused. */
type ChoiceStore = Pick<Storage, 'getItem' | 'setItem'>;

/** The local-storage key of the remembered choice. */
export const PRESENTER_KEY = 'tunelab.presenter';

/**
 * Presenter mode: large type, thick lines and high contrast for a projector, and the keyboard
 * driving the screen in view. The choice is remembered on this device (not put in links: a link
 * shared with a class opens in the ordinary view on the students' screens) and survives moving
 * between screens and reloading.
 */
export class Presenter {
  on = $state(false);
  /** How much thicker than usual charts draw their lines. */
  lineScale = $derived(this.on ? 2 : 1);
  private controls: PresenterControls | null = null;

  constructor(private readonly store: ChoiceStore | null) {
    try {
      this.on = store?.getItem(PRESENTER_KEY) === 'on';
    } catch {
      // Storage refused (a private window, a policy): the mode starts off.
    }
  }

  /** Switches presenter mode and remembers the choice. */
  toggle(): void {
    this.on = !this.on;
    try {
      this.store?.setItem(PRESENTER_KEY, this.on ? 'on' : 'off');
    } catch {
      // Not remembered where storage is refused; the mode still switches.
    }
  }

  /** Lets the keys drive `controls` until the returned function is called (the screen leaves). */
  bind(controls: PresenterControls): () => void {
    this.controls = controls;
    return () => {
      if (this.controls === controls) this.controls = null;
    };
  }

  /**
   * Acts on a key press that is presenter mode's, and keeps the page from acting on it too; a
   * screen without controls (the Data screen) keeps Space and the arrows for scrolling.
   */
  handleKey(press: KeyPress & { preventDefault(): void }): void {
    const command = presenterCommand(press, this.on);
    const controls = this.controls;
    if (command === 'toggle') this.toggle();
    else if (command === 'play' && controls) controls.play();
    else if (command === 'next' && controls) controls.next();
    else if (command === 'back' && controls?.back) controls.back();
    else return;
    press.preventDefault();
  }
}

function localStore(): ChoiceStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The page's one presenter mode. */
export const presenter = new Presenter(localStore());
