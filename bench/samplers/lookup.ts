/**
 * A real objective cached as a table on a grid of its search space, and its value anywhere in
 * the space by multilinear interpolation between the grid points around it (in log units on
 * log axes). bench/samplers/optuna_reference.py interpolates the same way, so both suites
 * optimize one function. Multilinear interpolation stays inside the range of a cell's corners,
 * so the table's smallest value is the function's minimum.
 */

/** One axis of a table: a parameter and its grid values, ascending. */
export interface GridAxis {
  name: string;
  log: boolean;
  values: number[];
}

/** A tabulated objective: values in row-major order, the first axis varying slowest. */
export interface ObjectiveTable {
  name: string;
  description: string;
  axes: GridAxis[];
  values: number[];
  /** Grid points whose training diverged, stored as the worst finite value. */
  diverged: number;
}

/** The interpolated value of `table` at `point` (each coordinate clipped to its axis). */
export function lookup(table: ObjectiveTable, point: Record<string, number>): number {
  const scale = (a: GridAxis, x: number) => (a.log ? Math.log(x) : x);
  // Per axis: the lower grid index and the fraction of the way to the next.
  const cells = table.axes.map((a) => {
    const x = Math.min(scale(a, a.values.at(-1)!), Math.max(scale(a, a.values[0]), scale(a, point[a.name])));
    let i = 0;
    while (i < a.values.length - 2 && scale(a, a.values[i + 1]) <= x) i++;
    const lo = scale(a, a.values[i]);
    const hi = scale(a, a.values[i + 1]);
    return { i, f: (x - lo) / (hi - lo) };
  });
  let total = 0;
  for (let corner = 0; corner < 1 << cells.length; corner++) {
    let weight = 1;
    let index = 0;
    cells.forEach((c, d) => {
      const up = (corner >> d) & 1;
      weight *= up ? c.f : 1 - c.f;
      index = index * table.axes[d].values.length + c.i + up;
    });
    if (weight > 0) total += weight * table.values[index];
  }
  return total;
}
