/**
 * The browser's offer to install the site as an app (Chromium's `beforeinstallprompt` event,
 * not in the DOM's types). Its `prompt()` shows the browser's own install dialog, once.
 */
interface InstallOffer extends Event {
  prompt(): Promise<unknown>;
}

/**
 * Keeps the browser's offer to install the site, when it makes one, so that the page shows
 * its own Install button instead of the browser's banner: `onChange(true)` once an offer is
 * there, `onChange(false)` once it is used or the site is installed. Gives `install`, which
 * shows the browser's dialog, and a function that stops listening.
 */
export function watchInstall(onChange: (offered: boolean) => void): { install: () => Promise<void>; stop: () => void } {
  let offer: InstallOffer | null = null;
  const offered = (event: Event) => {
    // Without this the browser shows its own banner, and the offer is gone.
    event.preventDefault();
    offer = event as InstallOffer;
    onChange(true);
  };
  const installed = () => {
    offer = null;
    onChange(false);
  };
  window.addEventListener('beforeinstallprompt', offered);
  window.addEventListener('appinstalled', installed);
  return {
    async install() {
      const used = offer;
      if (!used) return;
      // An offer prompts once: the button goes whatever the user answers.
      offer = null;
      onChange(false);
      await used.prompt();
    },
    stop() {
      window.removeEventListener('beforeinstallprompt', offered);
      window.removeEventListener('appinstalled', installed);
    },
  };
}
