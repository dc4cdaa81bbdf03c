// ESLint flat config: typescript-eslint's recommended rules over the whole project, plus the
// layering rule (`lab/layering`, eslint/layering-rule.js) over src/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layeringRule } from './eslint/layering-rule.js';

// THE LAYERS OF src/ (lowest first). A file may import from its own layer and the layers below it,
// never from a higher one (type-only imports included). A path sits in the layer of its longest
// matching prefix. docs/architecture.md draws the same picture.
//   0 contract   src/shared: the typed contract and domain types shared with the renderer
//   1 base       clock, paths, version, resources, net/ (host formatting): no knowledge of SIP or CXone
//   2 protocol   sip/ (sip.js, transports), media/ (RTP, SDP, WAV), tls/, secrets/ (OS keychain)
//   3 services   cxone/ (client), profiles/ (vendor profiles), emulator/ (CXone emulator, reference bot parts)
//   4 store      history/ (SQLite), settings/, timeline/ (a contact's timeline built from history), and
//                runtime/events.ts: the event stream's types, which the recorder and the runs announce
//                on, sit here so that they need not know the runtime
//   5 runs       scenarios/ (checks, latency marks, recorder), runs/ (one function per run kind),
//                testcases/, load/, reports/, pcap/, import/, replay/, monitor/
//   6 runtime    runtime/ (LabRuntime: owns store, endpoints, emulators, live calls, monitors)
//   7 front-ends host/ (Electron IPC, browser host), lab.ts (the dashboard's service over the
//                runtime: settings, listeners, trunks, live batches), cli/, index.ts (the Electron entry)
// The core is layers 0–6: it never imports electron, a host, the CLI, the renderer or the preload.
// Islands: src/renderer and src/preload import only the contract (the preload also electron).
const LAYERS = [
  { name: 'contract', paths: ['src/shared/'] },
  { name: 'base', paths: ['src/main/clock.ts', 'src/main/paths.ts', 'src/main/version.ts', 'src/main/resources.ts', 'src/main/net/'] },
  { name: 'protocol', paths: ['src/main/sip/', 'src/main/media/', 'src/main/tls/', 'src/main/secrets/'] },
  { name: 'services', paths: ['src/main/cxone/', 'src/main/profiles/', 'src/main/emulator/'] },
  { name: 'store', paths: ['src/main/history/', 'src/main/settings/', 'src/main/timeline/', 'src/main/runtime/events.ts'] },
  {
    name: 'runs',
    paths: [
      'src/main/scenarios/', 'src/main/runs/', 'src/main/testcases/', 'src/main/reports/',
      'src/main/pcap/', 'src/main/import/', 'src/main/replay/', 'src/main/monitor/', 'src/main/load/',
    ],
  },
  { name: 'runtime', paths: ['src/main/runtime/'] },
  { name: 'front-ends', paths: ['src/main/host/', 'src/main/lab.ts', 'src/main/cli/', 'src/main/index.ts'] },
];
const ISLANDS = [
  { name: 'renderer', paths: ['src/renderer/'], mayImport: ['contract'] },
  { name: 'preload', paths: ['src/preload/'], mayImport: ['contract'] },
];
// Known exceptions, each to be removed by the work named (keep this list short and dated).
const ALLOW = [
  // issue 11: the recorder becomes the runtime's; the child script should get a narrow sink instead.
  { from: 'src/main/emulator/child-script.ts', to: 'src/main/scenarios/call-recorder' },
  // issue 11: the old scenarios/* entry points (runAnswer, runHandoff…) kept as @deprecated shims
  // over the runtime for existing scripts and tests; new code calls runtime.run(kind, options).
  { from: 'src/main/scenarios/', to: 'src/main/runtime/headless' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test/e2e/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly',
        clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly',
        performance: 'readonly', window: 'readonly', document: 'readonly', fetch: 'readonly',
        WebSocket: 'readonly', AbortController: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly',
        setImmediate: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly',
        URLSearchParams: 'readonly', Headers: 'readonly', Response: 'readonly', Request: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { lab: { rules: { layering: layeringRule } } },
    rules: {
      'lab/layering': [
        'error',
        { root: import.meta.dirname, scope: ['src/'], layers: LAYERS, islands: ISLANDS, electron: ['front-ends', 'preload'], allow: ALLOW },
      ],
    },
  },
);
