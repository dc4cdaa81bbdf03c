/**
 * Where the app's bundled resources are (the audio prompts of `resources/prompts/`), whether it
 * runs from the source tree (tsx: this file is `src/main/resources.ts`), from the built app
 * (electron-vite bundles the main process into `out/main/index.js`), or as a packaged Electron app
 * (`resources/` shipped next to the asar, in `process.resourcesPath`).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Environment variable that overrides the resources folder (a folder holding `prompts/`). */
export const RESOURCES_DIR_ENV = 'LAB_RESOURCES_DIR';

/** The prompt the reference bot plays right after answering (resources/prompts/README.md). */
export const GREETING_PROMPT = 'greeting.wav';
/** What the emulated CXone caller says (resources/prompts/README.md). */
export const CALLER_PROMPT = 'caller.wav';

/**
 * The folders searched for `resources/`, most specific first: `LAB_RESOURCES_DIR`; two levels up
 * from this module (`src/main/` → repo root, and `out/main/` → repo root); the packaged app's
 * `process.resourcesPath/resources`; the working directory's `resources/`.
 */
export function resourcesDirCandidates(moduleDir = dirname(fileURLToPath(import.meta.url))): string[] {
  const list: string[] = [];
  const env = process.env[RESOURCES_DIR_ENV];
  if (env) list.push(resolve(env));
  list.push(resolve(moduleDir, '../../resources'));
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (packaged) list.push(join(packaged, 'resources'));
  list.push(resolve(process.cwd(), 'resources'));
  return [...new Set(list)];
}

/**
 * The built dashboard for the browser host (`npm run build:web` writes `out/web/`): next to the
 * bundled CLI (`out/cli/` → `out/web/`), or from the source tree (`src/main/` → `out/web/`).
 * @returns the first candidate holding `index.html`, else the source tree's (the host then says
 * it is missing).
 */
export function webDir(moduleDir = dirname(fileURLToPath(import.meta.url))): string {
  const candidates = [resolve(moduleDir, '../web'), resolve(moduleDir, '../../out/web')];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? candidates[1]!;
}

/**
 * The absolute path of a bundled prompt, e.g. `promptPath('greeting.wav')`.
 * @throws Error naming the folders searched when no resources folder holds the file.
 */
export function promptPath(name: string): string {
  for (const dir of resourcesDirCandidates()) {
    const file = join(dir, 'prompts', name);
    if (existsSync(file)) return file;
  }
  throw new Error(
    `prompt ${name} not found in ${resourcesDirCandidates().map((d) => join(d, 'prompts')).join(', ')} (set ${RESOURCES_DIR_ENV} to the folder holding prompts/)`,
  );
}

/** {@link promptPath}, or null when this install has no resources folder holding the prompt. */
export function optionalPromptPath(name: string): string | null {
  try {
    return promptPath(name);
  } catch {
    return null;
  }
}
