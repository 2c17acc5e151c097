import { registerSW } from 'virtual:pwa-register';

/** What the service worker has done for this page: ready for use offline, a new version waiting. */
export interface OfflineStatus {
  /** Every file of the site is precached: the site opens and works without a network. */
  ready: boolean;
  /** A new version is installed and waits for the user's word to take over. */
  updateWaiting: boolean;
}

/**
 * Registers the service worker and reports what it does through `onChange`. The site is ready
 * offline once a worker is active, since a worker activates only after its whole precache is
 * stored. A new version waits until `update()` is called, which then reloads the page: never
 * on its own in the middle of a lesson. Does nothing in a browser without service workers.
 */
export function watchOffline(onChange: (status: OfflineStatus) => void): { update: () => Promise<void> } {
  const status: OfflineStatus = { ready: false, updateWaiting: false };
  const set = (change: Partial<OfflineStatus>) => onChange(Object.assign(status, change));
  if (!('serviceWorker' in navigator)) return { update: async () => {} };
  // A page the worker serves was opened through it, offline or not.
  if (navigator.serviceWorker.controller) set({ ready: true });
  const update = registerSW({
    onOfflineReady: () => set({ ready: true }),
    onNeedRefresh: () => set({ updateWaiting: true }),
    onRegisteredSW: (_url, registration) => {
      if (registration?.active) set({ ready: true });
    },
  });
  return { update: () => update(true) };
}
