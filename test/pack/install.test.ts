// Issue 16: the `lab` command installs without the source tree. Packs the tarball (`npm pack`, whose
// prepack builds out/cli and out/web), installs it into a fresh prefix with
// `npm install -g --prefix DIR ./cxone-sip-lab-*.tgz`, and runs the installed `lab` from a folder
// outside the repository, with a PATH that holds only Node (no tsx, no node_modules/.bin):
// `lab --version`, `lab help`, `lab run handoff --json -` (its INVITE carries our User-Agent) and
// `lab test examples/tests` from the installed package, and `lab serve` (the dashboard over HTTP). Native modules come from their prebuilt
// binaries (nothing is compiled). Dependencies come from npm's cache when it has them
// (--prefer-offline). Run with `npm run test:pack` (a few minutes; not part of `npm test`).
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const work = mkdtempSync(join(tmpdir(), 'lab-pack-'));
const prefix = join(work, 'prefix');
const outside = join(work, 'elsewhere');
const pkgDir = join(prefix, 'lib', 'node_modules', 'cxone-sip-lab');
const lab = join(prefix, 'bin', 'lab');
// Only the Node that runs this test (≥ 22) and the system's tools: no tsx, no project binaries.
const PATH = [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(delimiter);
const env = { ...process.env, PATH, LAB_DATA_DIR: join(work, 'data'), NODE_OPTIONS: '' };

function run(cmd: string, args: string[], cwd: string, timeoutMs: number, extraEnv: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
}

function npm(args: string[], cwd: string, timeoutMs: number): SpawnSyncReturns<string> {
  // npm itself from the project's PATH (the test is started through npm), run by the same Node.
  const npmCli = process.env.npm_execpath;
  return npmCli ? run(process.execPath, [npmCli, ...args], cwd, timeoutMs) : run('npm', args, cwd, timeoutMs);
}

describe('the packed lab command', () => {
  beforeAll(() => {
    const packed = npm(['pack', '--pack-destination', work], root, 300_000);
    expect(packed.status, `${packed.stdout}\n${packed.stderr}`).toBe(0);
    const tgz = readdirSync(work).find((f) => /^cxone-sip-lab-.*\.tgz$/.test(f));
    expect(tgz).toBeDefined();
    const installed = npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', `./${tgz}`], work, 300_000);
    expect(installed.status, `${installed.stdout}\n${installed.stderr}`).toBe(0);
    run('mkdir', ['-p', outside], work, 5_000);
  }, 600_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('installs plain JavaScript, the dashboard and the examples, without sources or tsx', () => {
    expect(existsSync(lab)).toBe(true);
    expect(existsSync(join(pkgDir, 'out/cli/bin.js'))).toBe(true);
    expect(existsSync(join(pkgDir, 'out/web/index.html'))).toBe(true);
    expect(existsSync(join(pkgDir, 'resources/prompts/greeting.wav'))).toBe(true);
    expect(existsSync(join(pkgDir, 'examples/tests'))).toBe(true);
    expect(existsSync(join(pkgDir, 'src'))).toBe(false);
    expect(existsSync(join(pkgDir, 'node_modules/tsx'))).toBe(false);
    // better-sqlite3 and the keychain from their prebuilt binaries: nothing was compiled.
    const sqlite = join(pkgDir, 'node_modules/better-sqlite3');
    expect(existsSync(join(sqlite, `prebuilds/${process.platform}-${process.arch}.node`))).toBe(true);
    expect(existsSync(join(sqlite, 'build/Release/better_sqlite3.node'))).toBe(false);
    expect(readdirSync(join(pkgDir, 'node_modules/@napi-rs')).some((d) => d.startsWith('keyring-'))).toBe(true);
  });

  it('prints its version and its help', () => {
    const v = run(lab, ['--version'], outside, 60_000);
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout).toContain(`cxone-sip-lab ${version}`);
    const help = run(lab, ['help'], outside, 60_000);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('usage: lab <command>');
  });

  it('refuses a Node older than 22.12 in one line (where the system has one)', () => {
    const old = ['/usr/bin/node', '/usr/local/bin/node'].find((n) => {
      const v = spawnSync(n, ['--version'], { encoding: 'utf8' });
      return v.status === 0 && Number(/^v(\d+)/.exec(v.stdout)?.[1] ?? 99) < 22;
    });
    if (!old) return; // no old Node here: nothing to show
    const r = run(old, [join(pkgDir, 'out/cli/bin.js'), 'help'], outside, 60_000);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: lab needs Node 22\.12 or newer; this is Node \d+\./)]);
  });

  it('runs the embedded handoff and writes its JSON report to standard output', () => {
    const r = run(lab, ['run', 'handoff', '--json', '-'], outside, 120_000);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; calls: { invite: { headers: { name: string; value: string }[] } }[] };
    expect(report.ok).toBe(true);
    const ua = report.calls[0]!.invite.headers.find((h) => h.name === 'User-Agent');
    expect(ua?.value).toMatch(new RegExp(`^CXone-SIP-Lab/${version.replace(/\./g, '\\.')} sip\\.js/\\d+\\.\\d+\\.\\d+$`));
  });

  it('runs the example test suite shipped in the package', () => {
    const r = run(lab, ['test', join(pkgDir, 'examples/tests')], outside, 300_000);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/PASS/);
  });

  it('serves the dashboard (lab serve) from the installed package', async () => {
    const serve = spawn(lab, ['serve', '--port', '0', '--sip-udp-port', '0', '--sip-tcp-port', '0'], { cwd: outside, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let out = '';
        serve.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /dashboard: (\S+)/.exec(out);
          if (m) resolveUrl(m[1]!);
        });
        serve.once('exit', (code) => reject(new Error(`lab serve exited (${code}) before listening: ${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<!doctype html>/i);
    } finally {
      const exited = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGTERM');
      await exited;
    }
  });
});
