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
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
const modules = new Map<string, object>();
const valid = new Map<string, boolean>();

// Whether this Node can run the kernel whose bytes are base64 (WebAssembly SIMD: every x86-64 CPU with SSE4.1, and
// arm64).
export function kernelRuns(base64: string): boolean {
  let ok = valid.get(base64);
  if (ok === undefined) {
    try {
      ok = api !== undefined && api.validate(Buffer.from(base64, 'base64'));
    } catch {
      ok = false;
    }
    valid.set(base64, ok);
  }
  return ok;
}

// A new instance (its own memory) of the kernel whose bytes are base64; each kernel is compiled once.
export function instantiate<T>(base64: string): T {
  if (!api || !kernelRuns(base64)) throw new Error('this Node cannot run the WebAssembly SIMD kernels (ask kernelRuns first)');
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
