// The inert object model behind the pickle reader (src/tutorial/pickle.ts): the values its stack holds, the five numpy
// callables as tags, and what REDUCE and BUILD may do with them, each checked against the exact arguments numpy
// writes. Nothing here imports or calls anything named by a pickle.

import { ProtocolError } from '../shared/errors.js';
import { MAX_FRAME_SIDE_PX, TUTORIAL_MAX_FRAME_BYTES } from '../shared/limits.js';

/** Packed BGR pixels with their size: a Frame without its timestamp and sequence number. */
export interface BgrImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** The callables a numpy array pickle may name, as inert tags: module -> name -> tag. */
export const ALLOWED_GLOBALS = new Map<string, ReadonlyMap<string, Callable>>([
  ['numpy.core.multiarray', new Map<string, Callable>([['_reconstruct', 'reconstruct']])],
  ['numpy._core.multiarray', new Map<string, Callable>([['_reconstruct', 'reconstruct']])],
  ['numpy.core.numeric', new Map<string, Callable>([['_frombuffer', 'frombuffer']])],
  ['numpy._core.numeric', new Map<string, Callable>([['_frombuffer', 'frombuffer']])],
  [
    'numpy',
    new Map<string, Callable>([
      ['ndarray', 'ndarray'],
      ['dtype', 'dtype'],
    ]),
  ],
  ['_codecs', new Map<string, Callable>([['encode', 'encode']])],
]);

export type Callable = 'reconstruct' | 'frombuffer' | 'ndarray' | 'dtype' | 'encode';

/** Values on the machine's stack; text stays UTF-8 bytes until it must be compared. */
export type Value =
  | null
  | boolean
  | number
  | { readonly k: 'mark' }
  | { readonly k: 'str'; readonly utf8: Uint8Array }
  | { readonly k: 'bytes'; readonly b: Uint8Array }
  | { readonly k: 'tuple'; readonly items: readonly Value[] }
  | { readonly k: 'global'; readonly g: Callable }
  | { readonly k: 'dtype'; built: boolean }
  | { readonly k: 'array'; built: boolean; image?: BgrImage };

export const MARK_VALUE: Value = { k: 'mark' };
/** Longest text the reader ever needs to compare (module names, 'latin1', 'u1', '|', 'C'). */
export const MAX_NAME_CHARS = 64;
/** Pickle protocols numpy arrays are accepted in. */
export const MIN_PROTOCOL = 2;
export const MAX_PROTOCOL = 5;

/** Throws the one error this module raises. */
export function reject(message: string): never {
  throw new ProtocolError('ERR_PICKLE_REJECTED', `pickle rejected: ${message}`);
}

/** A short readable name for a value, for error messages. */
export function describe(v: Value): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  switch (v.k) {
    case 'str':
      return v.utf8.length <= MAX_NAME_CHARS ? JSON.stringify(Buffer.from(v.utf8).toString('utf8')) : 'a long str';
    case 'bytes':
      return `${v.b.length} bytes`;
    case 'tuple':
      return `a ${v.items.length}-tuple`;
    case 'global':
      return `global ${v.g}`;
    default:
      return v.k;
  }
}

/** Is v the short text s? */
function isText(v: Value | undefined, s: string): boolean {
  if (v === undefined || v === null || typeof v !== 'object' || v.k !== 'str') return false;
  return v.utf8.length === s.length && Buffer.from(v.utf8.buffer, v.utf8.byteOffset, v.utf8.length).toString('latin1') === s;
}

/** Decodes short UTF-8 text (a module or attribute name). */
export function shortText(bytes: Uint8Array, what: string): string {
  if (bytes.length > MAX_NAME_CHARS) reject(`${what} longer than ${MAX_NAME_CHARS} bytes`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
}

/** Protocol 2 keeps bytes as latin-1 text: turn its UTF-8 (code points 0-255 only) back into bytes. */
export function latin1FromUtf8(utf8: Uint8Array): Uint8Array {
  const out = new Uint8Array(utf8.length);
  let n = 0;
  for (let i = 0; i < utf8.length; i++) {
    const c = utf8[i] as number;
    if (c < 0x80) {
      out[n++] = c;
    } else if ((c === 0xc2 || c === 0xc3) && i + 1 < utf8.length) {
      const d = utf8[++i] as number;
      if ((d & 0xc0) !== 0x80) reject('latin-1 text is not valid UTF-8');
      out[n++] = ((c & 0x03) << 6) | (d & 0x3f);
    } else {
      reject('latin-1 text holds a character above U+00FF');
    }
  }
  return out.subarray(0, n);
}

/** Checks a shape tuple and data length, and returns the image (grayscale expanded to BGR). */
function makeImage(shape: Value, data: Uint8Array): BgrImage {
  if (shape === null || typeof shape !== 'object' || shape.k !== 'tuple') reject(`shape is ${describe(shape)}`);
  const dims = shape.items;
  if (dims.length !== 2 && dims.length !== 3) reject(`shape has ${dims.length} dimensions (want H x W x 3)`);
  for (const d of dims) if (typeof d !== 'number') reject(`shape holds ${describe(d)}`);
  const [height, width, channels = 1] = dims as number[];
  if (channels !== 3 && channels !== 1) reject(`${channels} channels (want 3, BGR, or 1, grayscale)`);
  if (height === undefined || width === undefined || height < 1 || width < 1) reject(`empty shape ${height}x${width}`);
  if (height > MAX_FRAME_SIDE_PX || width > MAX_FRAME_SIDE_PX) {
    reject(`frame ${width}x${height} has a side over MAX_FRAME_SIDE_PX (${MAX_FRAME_SIDE_PX})`);
  }
  if (width * height * 3 > TUTORIAL_MAX_FRAME_BYTES) {
    reject(`frame ${width}x${height} is over TUTORIAL_MAX_FRAME_BYTES (${TUTORIAL_MAX_FRAME_BYTES})`);
  }
  const want = width * height * channels;
  if (data.length !== want) reject(`shape ${height}x${width}x${channels} needs ${want} bytes, data has ${data.length}`);
  if (channels === 3) return { data, width, height };
  const bgr = new Uint8Array(want * 3);
  for (let i = 0, o = 0; i < want; i++, o += 3) {
    const g = data[i] as number;
    bgr[o] = g;
    bgr[o + 1] = g;
    bgr[o + 2] = g;
  }
  return { data: bgr, width, height };
}

/** The dtype BUILD state numpy writes for uint8: (3, '|', None, None, None, -1, -1, 0). */
function isUint8DtypeState(s: Value): boolean {
  if (s === null || typeof s !== 'object' || s.k !== 'tuple' || s.items.length !== 8) return false;
  const [ver, order, a, b, c, el, al, flags] = s.items;
  return ver === 3 && isText(order, '|') && a === null && b === null && c === null && el === -1 && al === -1 && flags === 0;
}

/** Is v a dtype('u1') that has received its state? */
function isBuiltDtype(v: Value | undefined): boolean {
  return v !== undefined && v !== null && typeof v === 'object' && v.k === 'dtype' && v.built;
}

/** Pixel bytes from bytes or bytearray values. */
function bytesOf(v: Value | undefined, what: string): Uint8Array {
  if (v === undefined || v === null || typeof v !== 'object' || v.k !== 'bytes') reject(`${what} is ${v === undefined ? 'missing' : describe(v)}`);
  return v.b;
}

/** Applies an allowed callable to its argument tuple, returning an inert model of the result. */
export function reduce(fn: Value, args: Value): Value {
  if (fn === null || typeof fn !== 'object' || fn.k !== 'global') reject(`REDUCE calls ${describe(fn)}`);
  if (args === null || typeof args !== 'object' || args.k !== 'tuple') reject(`REDUCE arguments are ${describe(args)}`);
  const a = args.items;
  switch (fn.g) {
    case 'reconstruct': {
      const [cls, shape, typecode] = a;
      const okShape = shape && typeof shape === 'object' && shape.k === 'tuple' && shape.items.length === 1 && shape.items[0] === 0;
      const okCode = typecode && typeof typecode === 'object' && typecode.k === 'bytes' && typecode.b.length === 1 && typecode.b[0] === 0x62;
      const okCls = cls && typeof cls === 'object' && cls.k === 'global' && cls.g === 'ndarray';
      if (a.length !== 3 || !okCls || !okShape || !okCode) reject("_reconstruct arguments are not (ndarray, (0,), b'b')");
      return { k: 'array', built: false };
    }
    case 'dtype': {
      if (a.length !== 3 || a[1] !== false || a[2] !== true) reject('dtype arguments are not (str, False, True)');
      if (!isText(a[0], 'u1')) reject(`dtype ${describe(a[0] as Value)} is not uint8 ('u1')`);
      return { k: 'dtype', built: false };
    }
    case 'encode': {
      const [text, codec] = a;
      if (a.length !== 2 || !isText(codec, 'latin1') || !text || typeof text !== 'object' || text.k !== 'str') {
        reject("_codecs.encode arguments are not (str, 'latin1')");
      }
      return { k: 'bytes', b: latin1FromUtf8(text.utf8) };
    }
    case 'frombuffer': {
      const [buf, dtype, shape, order] = a;
      if (a.length !== 4) reject('_frombuffer needs (buffer, dtype, shape, order)');
      const data = bytesOf(buf, '_frombuffer buffer');
      if (!isBuiltDtype(dtype)) reject(`_frombuffer dtype is ${describe(dtype as Value)}`);
      if (isText(order, 'F')) reject('array is in Fortran order');
      if (!isText(order, 'C')) reject(`_frombuffer order is ${describe(order as Value)}`);
      return { k: 'array', built: true, image: makeImage(shape as Value, data) };
    }
    default:
      return reject(`${fn.g} is not callable here`);
  }
}

/** Sets the state of a dtype or an empty array (BUILD), the only objects that take one. */
export function build(target: Value, state: Value): void {
  if (target === null || typeof target !== 'object') reject(`BUILD on ${describe(target)}`);
  if (target.k === 'dtype' && !target.built) {
    if (!isUint8DtypeState(state)) reject('dtype state is not that of uint8');
    target.built = true;
    return;
  }
  if (target.k === 'array' && !target.built) {
    if (state === null || typeof state !== 'object' || state.k !== 'tuple' || state.items.length !== 5) {
      reject(`array state is ${describe(state)}`);
    }
    const [ver, shape, dtype, fortran, data] = state.items;
    if (ver !== 1) reject(`array state version ${describe(ver as Value)}`);
    if (!isBuiltDtype(dtype)) reject(`array dtype is ${describe(dtype as Value)}`);
    if (fortran === true) reject('array is in Fortran order');
    if (fortran !== false) reject(`array Fortran flag is ${describe(fortran as Value)}`);
    target.image = makeImage(shape as Value, bytesOf(data, 'array data'));
    target.built = true;
    return;
  }
  reject(`BUILD on ${describe(target)}`);
}
