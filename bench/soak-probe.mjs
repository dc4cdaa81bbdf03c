// Preloaded into the `lab answer` process by bench/soak.mts (`node --import ./bench/soak-probe.mjs`):
// on SIGUSR2 it runs a full GC (when started with --expose-gc) and appends one JSON line of
// process.memoryUsage() (bytes) to the file named by LAB_SOAK_PROBE_FILE. Nothing else: the
// process under test is the product's own CLI, unchanged.
import { appendFileSync } from 'node:fs';

const file = process.env.LAB_SOAK_PROBE_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    if (typeof globalThis.gc === 'function') globalThis.gc();
    appendFileSync(file, `${JSON.stringify({ wallMs: Date.now(), ...process.memoryUsage() })}\n`);
  });
}
