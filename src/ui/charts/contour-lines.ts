/** A line segment of a contour, in grid coordinates (column, row). */
export type Segment = [number, number, number, number];

/**
 * Level-set segments of a row-major rows × cols field at `level`, by marching squares with
 * linear interpolation along cell edges. Coordinates are in cells: (0, 0) is the centre of the
 * first value, (cols − 1, rows − 1) of the last. Saddle cells are split by the cell's mean.
 */
export function contourSegments(values: ArrayLike<number>, cols: number, rows: number, level: number): Segment[] {
  const out: Segment[] = [];
  const at = (c: number, r: number) => values[r * cols + c];
  const cross = (a: number, b: number) => (level - a) / (b - a);
  for (let r = 0; r + 1 < rows; r++) {
    for (let c = 0; c + 1 < cols; c++) {
      const tl = at(c, r), tr = at(c + 1, r), br = at(c + 1, r + 1), bl = at(c, r + 1);
      if (![tl, tr, br, bl].every(Number.isFinite)) continue;
      const code = (tl > level ? 8 : 0) | (tr > level ? 4 : 0) | (br > level ? 2 : 0) | (bl > level ? 1 : 0);
      if (code === 0 || code === 15) continue;
      const top: [number, number] = [c + cross(tl, tr), r];
      const right: [number, number] = [c + 1, r + cross(tr, br)];
      const bottom: [number, number] = [c + cross(bl, br), r + 1];
      const left: [number, number] = [c, r + cross(tl, bl)];
      const seg = (a: [number, number], b: [number, number]) => out.push([a[0], a[1], b[0], b[1]]);
      const centreHigh = (tl + tr + br + bl) / 4 > level;
      switch (code) {
        case 1: case 14: seg(left, bottom); break;
        case 2: case 13: seg(bottom, right); break;
        case 3: case 12: seg(left, right); break;
        case 4: case 11: seg(top, right); break;
        case 6: case 9: seg(top, bottom); break;
        case 7: case 8: seg(left, top); break;
        case 5: if (centreHigh) { seg(left, top); seg(bottom, right); } else { seg(left, bottom); seg(top, right); } break;
        case 10: if (centreHigh) { seg(left, bottom); seg(top, right); } else { seg(left, top); seg(bottom, right); } break;
      }
    }
  }
  return out;
}

/**
 * Contour levels for a field: `count` levels spaced evenly, or log-spaced above the minimum
 * when the values span more than two orders of magnitude (Rosenbrock, Goldstein–Price), so
 * that the valley floor gets lines too.
 */
export function contourLevels(values: ArrayLike<number>, count = 14): number[] {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); }
  }
  if (!(max > min)) return [];
  const span = max - min;
  const wide = span / Math.max(1e-12, Math.abs(quantile(values, 0.1) - min)) > 100;
  if (!wide) return Array.from({ length: count }, (_, i) => min + (span * (i + 1)) / (count + 1));
  const lo = Math.max(span * 1e-4, 1e-9);
  return Array.from({ length: count }, (_, i) => min + lo * (span / lo) ** (i / (count - 1)));
}

function quantile(values: ArrayLike<number>, q: number): number {
  const finite = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  return finite[Math.min(finite.length - 1, Math.floor(q * finite.length))];
}
