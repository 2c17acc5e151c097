// The offline part of the build: a Workbox service worker (vite-plugin-pwa) that precaches every
// file of dist/, the web app manifest that makes the site installable, and a check that fails
// the build when a file of dist/ is missing from the precache.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin, PluginOption } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** The largest file precached: well above the tensor worker (1.7 MB) and Workbox's 2 MiB default. */
export const MAX_PRECACHED_BYTES = 16 * 2 ** 20;

/** The service worker and Workbox's runtime beside it: they load the precache, they are not in it. */
const SERVICE_WORKER_FILES = /^(sw\.js|workbox-[\w-]+\.js)(\.map)?$/;

/**
 * The files of a build that its precache lacks: every file must be there, since any of them
 * (a worker chunk, a built-in dataset, an icon) may be needed offline. `files` and `precached`
 * are paths relative to the build folder, with '/'.
 */
export function missingFromPrecache(files: string[], precached: string[]): string[] {
  const cached = new Set(precached.map((url) => url.replace(/^\.?\//, '').split('?')[0]));
  return files.filter((f) => !SERVICE_WORKER_FILES.test(f) && !cached.has(f)).sort();
}

/**
 * The URLs a generated service worker precaches, read from its precache manifest
 * (`{url:"assets/…",revision:…}` entries): what the site really stores, manifest and icons
 * included. A worker whose format this does not read gives none, and the check fails loudly.
 */
export function precachedUrls(serviceWorker: string): string[] {
  return [...serviceWorker.matchAll(/\burl:\s*"([^"]+)"/g)].map((m) => m[1]);
}

/** Every file under `dir`, relative to it, with '/'. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)).split(sep).join('/'));
}

/**
 * The service worker, the manifest and the precache check, for the site's Vite config. Updates
 * wait for the user ('prompt'): a new version never reloads a page in the middle of a lesson.
 */
export function offline(): PluginOption[] {
  let outDir = 'dist';
  const check: Plugin = {
    name: 'tunelab-precache-check',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    // After vite-plugin-pwa's own closeBundle, which writes the service worker.
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        const missing = missingFromPrecache(filesUnder(outDir), precachedUrls(readFileSync(join(outDir, 'sw.js'), 'utf8')));
        if (missing.length) throw new Error(`These files of the build are not precached, so the site would miss them offline:\n  ${missing.join('\n  ')}`);
      },
    },
  };
  return [
    VitePWA({
      registerType: 'prompt',
      // The page registers the worker itself (src/runtime/offline.ts), to show the update prompt.
      injectRegister: false,
      // The icons are in the precache already, as every file of the build is.
      includeManifestIcons: false,
      manifest: {
        name: 'tunelab',
        short_name: 'tunelab',
        description: 'Train small neural networks in your browser, on your own GPU, and see how they are optimized.',
        theme_color: '#183153',
        background_color: '#f4f6f9',
        display: 'standalone',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
        screenshots: [{ src: 'screenshot.jpg', sizes: '1440x1047', type: 'image/jpeg', form_factor: 'wide', label: 'The training screen' }],
      },
      workbox: {
        globPatterns: ['**/*'],
        // vite-plugin-pwa adds the manifest to the precache itself; found by the glob too, it would be listed twice.
        globIgnores: ['manifest.webmanifest'],
        maximumFileSizeToCacheInBytes: MAX_PRECACHED_BYTES,
      },
    }),
    check,
  ];
}
