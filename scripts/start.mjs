// `npm start`: opens the Electron app when its binary is present; otherwise says why in one line
// and serves the same dashboard through the browser host, printing the URL to open.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const args = process.argv.slice(2);

// Electron 42+ downloads its binary on first launch. Look for it without side effects, try the
// download once (quietly) if it is missing, and report in one line why it cannot start.
function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  const installed = () => {
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  };
  if (!existsSync(join(dir, 'package.json'))) return { why: 'the electron package is not installed (run npm ci)' };
  let path = installed();
  if (!path) {
    const r = spawnSync(process.execPath, [join(dir, 'install.js')], { cwd: dir, encoding: 'utf8', timeout: 180_000 });
    path = installed();
    if (!path) {
      const reason = `${r.stderr ?? ''}${r.stdout ?? ''}`.split('\n').map((l) => l.trim()).find((l) => /error|fail/i.test(l));
      return { why: `its binary is not installed and could not be downloaded${reason ? `: ${reason}` : ''}` };
    }
  }
  return { path };
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const electron = process.env.LAB_NO_ELECTRON ? { why: 'LAB_NO_ELECTRON is set' } : electronBinary();
if (electron.path) {
  run(bin('electron-vite'), ['build']);
  const child = spawn(electron.path, [root, ...args], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Electron cannot start here (${electron.why}); serving the dashboard in your browser instead.`);
  const built = join(root, 'out', 'web', 'index.html');
  const srcNewest = Math.max(newestMtime(join(root, 'src', 'renderer')), newestMtime(join(root, 'src', 'shared')));
  if (!existsSync(built) || statSync(built).mtimeMs < srcNewest) run(bin('vite'), ['build', '--config', 'vite.web.config.ts', '--logLevel', 'warn']);
  const child = spawn(bin('tsx'), [join(root, 'src', 'main', 'cli', 'index.ts'), 'serve', ...args], { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
