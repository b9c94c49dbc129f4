// The sections of `termcall bench` (docs/bench.md), for --only. reach runs only when named (it needs root).
export const BENCH_SECTIONS = ['capture', 'render', 'sixel', 'wire', 'latency', 'pixel', 'kitty', 'startup', 'fidelity', 'audio', 'reach'] as const;
