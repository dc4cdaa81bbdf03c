// Preloaded into the `lab answer` process by bench/soak.mts (`node --import ./bench/soak-probe.mjs`):
// on SIGUSR2 it runs a full GC (when started with --expose-gc) and appends one JSON line of
// process.memoryUsage() (bytes) and V8's heap spaces (`spaces`: name → committed and used bytes)
// to the file named by LAB_SOAK_PROBE_FILE. Nothing else: the process under test is the product's
// own CLI, unchanged.
import { appendFileSync } from 'node:fs';
import v8 from 'node:v8';

if (process.env.SOAK_RUNTIME_FLAGS) v8.setFlagsFromString(process.env.SOAK_RUNTIME_FLAGS);
const file = process.env.LAB_SOAK_PROBE_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    if (typeof globalThis.gc === 'function') globalThis.gc();
    const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { committed: s.physical_space_size, used: s.space_used_size }]));
    appendFileSync(file, `${JSON.stringify({ wallMs: Date.now(), ...process.memoryUsage(), spaces })}\n`);
  });
}
