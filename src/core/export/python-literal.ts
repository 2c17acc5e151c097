/** A value as a Python literal: JSON's strings and numbers are Python's too; booleans and lists are spelled out. */
export function pythonLiteral(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${value} has no place in a search space.`);
    return Number.isInteger(value) ? String(value) : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  return JSON.stringify(String(value));
}
