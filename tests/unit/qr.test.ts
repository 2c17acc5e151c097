import jsQR from 'jsqr';
import { describe, expect, test } from 'vitest';
import { QUIET_ZONE, qrModules, qrPath } from '../../src/ui/presenter/qr';

/** The code as an RGBA picture, `scale` pixels a module, as a camera would see it on screen. */
function picture(modules: boolean[][], scale: number) {
  const side = modules.length * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (!modules[Math.floor(y / scale)][Math.floor(x / scale)]) continue;
      pixels.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  }
  return { pixels, side };
}

/** The dark modules an SVG path of unit runs covers, read back from its `M x y h n v1 h-n z` pieces. */
function modulesOfPath(path: string, size: number): boolean[][] {
  const grid = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  for (const [, x, y, n, back] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    expect(back).toBe(n);
    for (let k = 0; k < Number(n); k++) grid[Number(y)][Number(x) + k] = true;
  }
  return grid;
}

describe('the QR code of a link', () => {
  const links = [
    'http://localhost:4173/#/lab?lesson=saddle&lessonStep=2',
    'https://example.org/tools/tunelab/#/train?data=spiral&n=300&noise=10&layers=8:tanh,8:tanh&opt=sgd&lr=0.1&batch=5&epochs=200&seed=1',
    `https://example.org/#/lab?surface=${encodeURIComponent('(x^2 + y - 11)^2 + sin(x*y) · ü')}`,
  ];

  test.each(links)('decodes back to the link: %s', (link) => {
    const modules = qrModules(link);
    const { pixels, side } = picture(modules, 4);
    expect(jsQR(pixels, side, side)?.data).toBe(link);
  });

  test('is square, with the quiet zone of four light modules around it, and of the size the version gives', () => {
    const modules = qrModules(links[0]);
    const size = modules.length;
    expect(modules.every((row) => row.length === size)).toBe(true);
    // Version v is 17 + 4v modules wide. 54 bytes at level L need version 4 (33 modules): version 3 holds 53.
    expect(size).toBe(33 + 2 * QUIET_ZONE);
    for (let k = 0; k < QUIET_ZONE; k++) {
      expect(modules[k].some(Boolean)).toBe(false);
      expect(modules[size - 1 - k].some(Boolean)).toBe(false);
      expect(modules.some((row) => row[k] || row[size - 1 - k])).toBe(false);
    }
    // The finder pattern's top-left corner: a 7-module dark ring starting right after the quiet zone.
    expect(modules[QUIET_ZONE].slice(QUIET_ZONE, QUIET_ZONE + 7)).toEqual(new Array(7).fill(true));
  });

  test('the SVG path covers exactly the dark modules, one run a piece', () => {
    const modules = qrModules(links[1]);
    expect(modulesOfPath(qrPath(modules), modules.length)).toEqual(modules);
    expect(qrPath([[true, true, false, true], [false, false, false, false]])).toBe('M0 0h2v1h-2zM3 0h1v1h-1z');
  });

  test('a link longer than any QR code holds is refused', () => {
    expect(() => qrModules(`https://example.org/#/train?table=${'a'.repeat(3000)}`)).toThrow();
  });
});
