/**
 * The LabRuntime as the `lab` command ships it, for benchmarks that run `lab load` in their own
 * process: bundled with vite.cli.config.ts (the CLI's own build: sip.js with patches/sip.js+*.patch
 * and the pure-JavaScript dependencies inside, the native ones external), with the runtime as the
 * entry instead of the CLI. Not the source through tsx's loader, which is not what users run: tsx
 * adds esbuild's keepNames helper (`__name`, an Object.defineProperty) to every function the code
 * makes at run time, one per closure per message on the SIP path (measured at 1,500 calls/s on
 * 2 cores: the main thread's CPU per call ~5–10 % lower bundled, within this machine's noise).
 *
 * Built into `node_modules/.cache/bench-shipped-runtime/` (inside the project, so that the
 * external packages resolve from its node_modules) in about a second, at each run.
 * `LAB_BENCH_SOURCE=1` imports the source instead (profiles then show source names and lines).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LabRuntime } from '../src/main/runtime/lab-runtime';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Builds and imports the shipped LabRuntime.
 * @returns the class and a phrase saying which code it is (printed by the bench).
 * @throws the build's error (vite), e.g. a source that does not compile.
 */
export async function shippedLabRuntime(): Promise<{ LabRuntime: typeof LabRuntime; from: string }> {
  if (process.env.LAB_BENCH_SOURCE) {
    const m = await import('../src/main/runtime/lab-runtime');
    return { LabRuntime: m.LabRuntime, from: 'the source through tsx (LAB_BENCH_SOURCE)' };
  }
  const { build } = await import('vite');
  const outDir = resolve(ROOT, 'node_modules/.cache/bench-shipped-runtime');
  await build({
    configFile: resolve(ROOT, 'vite.cli.config.ts'),
    logLevel: 'warn',
    build: {
      ssr: resolve(ROOT, 'src/main/runtime/lab-runtime.ts'),
      outDir,
      emptyOutDir: true,
      rollupOptions: { output: { entryFileNames: 'lab-runtime.js', banner: '' } },
    },
  });
  const m = (await import(pathToFileURL(resolve(outDir, 'lab-runtime.js')).href)) as { LabRuntime: typeof LabRuntime };
  return { LabRuntime: m.LabRuntime, from: 'the runtime bundled as the `lab` command ships it (vite.cli.config.ts)' };
}
