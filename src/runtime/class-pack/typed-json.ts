/** The typed arrays a class pack carries: weights (Float32Array), table cells (Float64Array) and codes (Int32Array). */
const TYPED = { Float32Array, Float64Array, Int32Array } as const;
type TypedName = keyof typeof TYPED;

/** A typed array as JSON: its type and its bytes (little-endian, as every browser lays them out) in base64. */
interface TypedJson {
  $typed: TypedName;
  base64: string;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A number JSON has no word for (a diverged epoch's loss): NaN, Infinity or -Infinity, spelled out. */
interface NonFiniteJson {
  $number: 'NaN' | 'Infinity' | '-Infinity';
}

function isNonFiniteJson(value: unknown): value is NonFiniteJson {
  if (value === null || typeof value !== 'object') return false;
  const o = value as Record<string, unknown>;
  return Object.keys(o).length === 1 && (o.$number === 'NaN' || o.$number === 'Infinity' || o.$number === '-Infinity');
}

function isTypedJson(value: unknown): value is TypedJson {
  if (value === null || typeof value !== 'object') return false;
  const o = value as Record<string, unknown>;
  return Object.keys(o).length === 2 && typeof o.base64 === 'string' && typeof o.$typed === 'string' && Object.hasOwn(TYPED, o.$typed);
}

/**
 * JSON text of `value`, with its Float32, Float64 and Int32 arrays kept exactly (as base64
 * bytes), and NaN and ±Infinity kept too (JSON would write them as null).
 */
export function stringifyTyped(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) } as NonFiniteJson;
    for (const name of Object.keys(TYPED) as TypedName[]) {
      if (v instanceof TYPED[name]) return { $typed: name, base64: toBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) } satisfies TypedJson;
    }
    return v;
  });
}

/**
 * The value {@link stringifyTyped} wrote, typed arrays restored. Throws a SyntaxError on text
 * that is not JSON, or whose bytes do not fill whole numbers of their type.
 */
export function parseTyped(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (isNonFiniteJson(v)) return Number(v.$number);
    if (!isTypedJson(v)) return v;
    const bytes = fromBase64(v.base64);
    const Type = TYPED[v.$typed];
    if (bytes.length % Type.BYTES_PER_ELEMENT) throw new SyntaxError(`a ${v.$typed} of ${bytes.length} bytes`);
    return new Type(bytes.buffer, 0, bytes.length / Type.BYTES_PER_ELEMENT);
  });
}
