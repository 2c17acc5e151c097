import { expect, test } from 'vitest';
import { missingFromPrecache, precachedUrls } from '../../scripts/pwa';

test('every file of the build must be precached, except the service worker and its Workbox runtime', () => {
  const files = ['index.html', 'sw.js', 'workbox-2fbc6a65.js', 'assets/tensor.worker-B4TUjlsZ.js', 'assets/penguins-DnJW5x74.js', 'icons/icon-512.png', 'manifest.webmanifest'];
  expect(missingFromPrecache(files, ['index.html', 'assets/tensor.worker-B4TUjlsZ.js', 'assets/penguins-DnJW5x74.js', 'icons/icon-512.png', 'manifest.webmanifest'])).toEqual([]);
  // A worker chunk over the size limit is left out of the precache by Workbox: the check names it.
  expect(missingFromPrecache(files, ['index.html', 'icons/icon-512.png', './manifest.webmanifest?v=2'])).toEqual(['assets/penguins-DnJW5x74.js', 'assets/tensor.worker-B4TUjlsZ.js']);
});

test('the precached URLs are read from the service worker Workbox generates', () => {
  // The shape of a generated sw.js (vite-plugin-pwa 2.0, Workbox 7.4), minified.
  const sw = 'define(["./workbox-2fbc6a65"],function(s){"use strict";self.addEventListener("message",s=>{s.data&&"SKIP_WAITING"===s.data.type&&self.skipWaiting()}),'
    + 's.precacheAndRoute([{url:"screenshot.jpg",revision:"4a6a1f5e"},{url:"index.html",revision:"0f1c"},{url:"assets/tensor.worker-B4TUjlsZ.js",revision:null},'
    + '{url:"manifest.webmanifest",revision:"77b2c8e2"}],{}),s.cleanupOutdatedCaches(),s.registerRoute(new s.NavigationRoute(s.createHandlerBoundToURL("index.html")))});';
  expect(precachedUrls(sw)).toEqual(['screenshot.jpg', 'index.html', 'assets/tensor.worker-B4TUjlsZ.js', 'manifest.webmanifest']);
  expect(precachedUrls('self.addEventListener("fetch", () => {})')).toEqual([]);
});
