/**
 * Paints a cols × rows field of cells into a rectangle of a 2D context, one colour per cell
 * (row-major, row 0 at the top), scaled smoothly or as blocks. Colours come from `rgba(i)`.
 */
export function paintCells(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  cols: number,
  rows: number,
  rgba: (i: number) => readonly number[],
  [x, y, width, height]: [number, number, number, number],
  smooth: boolean,
): void {
  const image = new ImageData(cols, rows);
  for (let i = 0; i < cols * rows; i++) image.data.set(rgba(i), 4 * i);
  const cells = new OffscreenCanvas(cols, rows);
  cells.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = smooth;
  ctx.drawImage(cells, x, y, width, height);
}
