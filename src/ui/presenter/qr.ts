import { encode } from 'uqr';

/** Light modules the standard asks for around a QR code, so that a camera finds its edge. */
export const QUIET_ZONE = 4;

/**
 * The modules of a QR code of `text`, row by row (true: dark), quiet zone included. Error
 * correction starts at level L, the smallest code for a long link, and is raised as far as the
 * same size allows. Throws when the text does not fit a QR code at all.
 */
export function qrModules(text: string): boolean[][] {
  return encode(text, { ecc: 'L', boostEcc: true, border: QUIET_ZONE }).data;
}

/**
 * An SVG path of the dark modules, one unit square each, with the runs of a row merged: one
 * `<path>` element draws the whole code, built from numbers alone (no markup from the link).
 */
export function qrPath(modules: boolean[][]): string {
  const parts: string[] = [];
  modules.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) {
      if (!row[x]) continue;
      let end = x;
      while (row[end + 1]) end++;
      parts.push(`M${x} ${y}h${end - x + 1}v1h-${end - x + 1}z`);
      x = end;
    }
  });
  return parts.join('');
}
