// `npm run dist`: the desktop installers for the current platform (electron-builder.yml: AppImage
// and deb on Linux, dmg on macOS, NSIS on Windows). electron-builder needs Electron's binary for
// this platform: the one `electron` installed (node_modules/electron/dist), or its zip in Electron's
// download cache. Where neither is there (these machines cannot download it), this says so in one
// line and exits 1 without building anything.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = { linux: '--linux', darwin: '--mac', win32: '--win' }[process.platform];
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

function fail(line) {
  process.stderr.write(`dist: ${line}\n`);
  process.exit(1);
}

/** Electron's download cache (what @electron/get uses): ELECTRON_CACHE, else the platform's cache folder. */
function electronCacheDir() {
  if (process.env.ELECTRON_CACHE) return process.env.ELECTRON_CACHE;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'electron');
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'electron', 'Cache');
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'electron');
}

/** Whether a file named `name` is anywhere in the cache folder (it keeps zips in hashed subfolders). */
function inCache(dir, name) {
  if (!existsSync(dir)) return false;
  const r = spawnSync(process.platform === 'win32' ? 'where' : 'find', process.platform === 'win32' ? ['/r', dir, name] : [dir, '-name', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().length > 0;
}

if (!TARGET) fail(`no installer target for platform ${process.platform} (linux, darwin, win32 are)`);
const electronDir = join(root, 'node_modules', 'electron');
if (!existsSync(join(electronDir, 'package.json'))) fail('the electron package is not installed: run npm ci');
const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
const pathFile = join(electronDir, 'path.txt');
const localBinary = existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
const zip = `electron-v${version}-${process.platform}-${process.arch}.zip`;
const cacheDir = electronCacheDir();
if (!localBinary && !inCache(cacheDir, zip)) {
  fail(
    `cannot build the ${process.platform} installers: Electron ${version}'s binary for ${process.platform}-${process.arch} is missing ` +
      `(not in node_modules/electron/dist, no ${zip} in ${cacheDir}); run \`npx electron --version\` where Electron can be downloaded, ` +
      `or put ${zip} in ELECTRON_CACHE`,
  );
}

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build']);
run(bin('electron-builder'), [
  '--config', 'electron-builder.yml', TARGET, '--publish', 'never',
  // The binary `electron` installed, when there is one: nothing to download.
  ...(localBinary ? ['-c.electronDist=node_modules/electron/dist'] : []),
]);
