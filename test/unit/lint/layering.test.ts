// The layering rule of eslint.config.js bites: the project's own ESLint configuration, run through
// ESLint's API on fixture sources placed (virtually) in src/, rejects an upward import, electron in
// the core, the core reaching a front-end or the renderer, and a folder in no layer; it accepts a
// run that imports only lower layers.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
/** One ESLint for the file: loading the config and typescript-eslint takes seconds on a busy machine. */
const eslint = new ESLint({ cwd: root });

/** Lints `code` with the project's config as if it were the file `path` (relative to the root). */
async function layeringMessages(code: string, path: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result!.messages.filter((m) => m.ruleId === 'lab/layering').map((m) => m.message);
}

describe('lab/layering (eslint.config.js)', () => {
  it('is on for every source file under src/', async () => {
    const config = await eslint.calculateConfigForFile(join(root, 'src/main/sip/endpoint.ts'));
    expect(config.rules['lab/layering'][0]).toBe(2);
  }, 60_000);

  it('rejects the protocol layer importing the runtime', async () => {
    const msgs = await layeringMessages(fixture('sip-imports-runtime.txt'), 'src/main/sip/layering-fixture.ts');
    expect(msgs).toEqual([expect.stringContaining('src/main/sip/layering-fixture.ts (protocol) must not import src/main/runtime/lab-runtime (runtime)')]);
  });

  it('rejects a type-only import of a higher layer too', async () => {
    const msgs = await layeringMessages("import type { RunReport } from '../scenarios/run-report';\nexport type R = RunReport;\n", 'src/main/cxone/layering-fixture.ts');
    expect(msgs).toEqual([expect.stringContaining('(services) must not import src/main/scenarios/run-report (runs)')]);
  });

  it('rejects electron in the core, and accepts it in a host and the preload', async () => {
    expect(await layeringMessages(fixture('core-imports-electron.txt'), 'src/main/history/layering-fixture.ts')).toEqual([
      expect.stringContaining('must not import electron'),
    ]);
    expect(await layeringMessages(fixture('core-imports-electron.txt'), 'src/main/host/layering-fixture.ts')).toEqual([]);
    expect(await layeringMessages(fixture('core-imports-electron.txt'), 'src/preload/layering-fixture.ts')).toEqual([]);
  });

  it('rejects the core importing a front-end (host, CLI) or the renderer', async () => {
    const code = "export { x } from '../host/browser-host';\nexport { y } from '../cli/args';\nexport { z } from '../../renderer/App';\n";
    const msgs = await layeringMessages(code, 'src/main/runtime/layering-fixture.ts');
    expect(msgs).toHaveLength(3);
    expect(msgs[0]).toContain('(front-ends)');
    expect(msgs[1]).toContain('(front-ends)');
    expect(msgs[2]).toContain('never imports the renderer or the preload');
  });

  it('keeps the renderer to the contract', async () => {
    const msgs = await layeringMessages("import { HistoryStore } from '../main/history/store';\nimport type { CallSummary } from '../shared/types';\nexport const s: CallSummary | HistoryStore | null = null;\n", 'src/renderer/layering-fixture.ts');
    expect(msgs).toEqual([expect.stringContaining('(renderer) may import only contract')]);
  });

  it('asks for a folder in no layer to be placed', async () => {
    const msgs = await layeringMessages("import { z } from 'zod';\nexport const s = z.string();\n", 'src/main/unplaced-folder/x.ts');
    expect(msgs).toEqual([expect.stringContaining('is in no layer')]);
  });

  it('accepts a run importing lower layers (sip, history, cxone, net)', async () => {
    expect(await layeringMessages(fixture('runs-imports-lower.txt'), 'src/main/runs/layering-fixture.ts')).toEqual([]);
  });
});
