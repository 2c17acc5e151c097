import type { TableColumn } from './types';
import { isMissing, parseNumber } from './cells';

/** Rows a column reserves at first; it doubles as rows arrive. */
const INITIAL_CAPACITY = 1024;

/**
 * Collects one column's cells as rows stream in, in the compact form a {@link TableColumn}
 * keeps: numbers while every cell so far is a number or empty, else codes into levels. A
 * column of numbers that meets its first text cell becomes text, its numbers written back as
 * text (so "007" is kept only as 7: a column of identifiers that mixes numbers and letters is
 * ignored by default anyway).
 */
export class ColumnBuilder {
  private numbers: Float64Array | null = new Float64Array(INITIAL_CAPACITY);
  private codes: Int32Array | null = null;
  private levels: string[] = [];
  private levelIndex = new Map<string, number>();
  private length = 0;

  constructor(
    readonly name: string,
    private readonly decimalComma: boolean,
  ) {}

  /** Adds the next row's cell, as written in the file. */
  push(raw: string): void {
    const cell = raw.trim();
    if (this.length === this.capacity) this.grow();
    const row = this.length++;
    if (this.numbers) {
      if (isMissing(cell)) {
        this.numbers[row] = NaN;
        return;
      }
      const value = parseNumber(cell, this.decimalComma);
      if (!Number.isNaN(value)) {
        this.numbers[row] = value;
        return;
      }
      this.becomeText(row);
    }
    this.codes![row] = isMissing(cell) ? -1 : this.code(cell);
  }

  /** The finished column, its arrays cut to the rows pushed (a view would keep, and store, the spare capacity). */
  build(): TableColumn {
    if (this.numbers) return { name: this.name, kind: 'number', values: this.numbers.slice(0, this.length) };
    return { name: this.name, kind: 'text', codes: this.codes!.slice(0, this.length), levels: this.levels };
  }

  private get capacity(): number {
    return (this.numbers ?? this.codes!).length;
  }

  private grow(): void {
    const capacity = 2 * this.capacity;
    if (this.numbers) {
      const numbers = new Float64Array(capacity);
      numbers.set(this.numbers);
      this.numbers = numbers;
    } else {
      const codes = new Int32Array(capacity);
      codes.set(this.codes!);
      this.codes = codes;
    }
  }

  /** Switches to codes, writing the first `rows` numbers back as their text. */
  private becomeText(rows: number): void {
    const numbers = this.numbers!;
    this.numbers = null;
    this.codes = new Int32Array(numbers.length);
    for (let r = 0; r < rows; r++) this.codes[r] = Number.isNaN(numbers[r]) ? -1 : this.code(String(numbers[r]));
  }

  private code(level: string): number {
    let code = this.levelIndex.get(level);
    if (code === undefined) {
      code = this.levels.length;
      this.levels.push(level);
      this.levelIndex.set(level, code);
    }
    return code;
  }
}
