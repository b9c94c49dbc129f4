// Instantiates the WebAssembly kernels (their bytes are generated modules, see scripts/build-wasm.mjs). Typed here:
// the project's lib has no DOM types, where the WebAssembly API's are.

/** A kernel's linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** Bytes of one page of linear memory. */
export const WASM_PAGE_BYTES = 65536;

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const modules = new Map<string, object>();

// A new instance (its own memory) of the kernel whose bytes are base64; each kernel is compiled once.
export function instantiate<T>(base64: string): T {
  let m = modules.get(base64);
  if (!m) {
    m = new api.Module(Buffer.from(base64, 'base64'));
    modules.set(base64, m);
  }
  return new api.Instance(m, {}).exports as T;
}

// Grow memory to at least `bytes`.
export function ensureBytes(memory: WasmMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / WASM_PAGE_BYTES));
}
