import { expect, test } from 'vitest';
import { missingFromPrecache } from '../../scripts/pwa';

test('every file of the build must be precached, except the service worker and its Workbox runtime', () => {
  const files = ['index.html', 'sw.js', 'workbox-2fbc6a65.js', 'assets/tensor.worker-B4TUjlsZ.js', 'assets/penguins-DnJW5x74.js', 'icons/icon-512.png', 'manifest.webmanifest'];
  expect(missingFromPrecache(files, ['index.html', 'assets/tensor.worker-B4TUjlsZ.js', 'assets/penguins-DnJW5x74.js', 'icons/icon-512.png', 'manifest.webmanifest'])).toEqual([]);
  // A worker chunk over the size limit is left out of the precache by Workbox: the check names it.
  expect(missingFromPrecache(files, ['index.html', 'icons/icon-512.png', './manifest.webmanifest?v=2'])).toEqual(['assets/penguins-DnJW5x74.js', 'assets/tensor.worker-B4TUjlsZ.js']);
});
