// Issue 14: `lab profiles --json` (a real process) lists every rule of every profile with its source,
// and the emulator's rules; `lab answer` on Kore's api-{cluster} host without a region is a usage
// error that asks for --cxone-region.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROFILE_RULE_FIELDS } from '../../../src/shared/profile';

const root = join(__dirname, '../../..');

function lab(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('npx', ['tsx', join(root, 'src/main/cli/index.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('lab profiles', () => {
  it('--json lists each rule with its source', async () => {
    const r = await lab(['profiles', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { profiles: Array<{ id: string; rules: Array<{ id: string; source: { kind: string; ref: string; why?: string }; assumed: boolean }> }>; emulator: Array<{ id: string; source: { kind: string } }> };
    expect(doc.profiles.map((p) => p.id)).toEqual(['kore', 'synthflow', 'watson', 'polyai', 'custom']);
    for (const p of doc.profiles) {
      expect(p.rules.map((x) => x.id)).toEqual(PROFILE_RULE_FIELDS.map((f) => `${p.id}.${f}`));
      for (const rule of p.rules) {
        expect(['seed', 'nice', 'rfc', 'assumed']).toContain(rule.source.kind);
        expect(rule.assumed).toBe(rule.source.kind === 'assumed');
        if (rule.assumed) expect(rule.source.why).toBeTruthy();
      }
    }
    const watsonHeader = doc.profiles.find((p) => p.id === 'watson')!.rules.find((x) => x.id === 'watson.contactIdHeaders')!;
    expect(watsonHeader.source).toMatchObject({ kind: 'seed', ref: '002_3a3aada58f5230c3.txt' });
    expect(doc.emulator.find((x) => x.id === 'emulator.signal-status')?.source.kind).toBe('assumed');
    expect(doc.emulator.find((x) => x.id === 'auth.oauth-client-basic')?.source).toMatchObject({ kind: 'rfc', ref: 'RFC 6749 §2.3.1' });
    const topo = (doc as unknown as { topologies: Array<{ kind: string; onRelease: { source: { kind: string; ref: string } } }> }).topologies;
    expect(topo.map((t) => t.kind)).toEqual(['single', 'main-spawn', 'parent-child']);
    expect(topo[0]!.onRelease.source).toMatchObject({ kind: 'seed', ref: '002_3a3aada58f5230c3.txt' });
  });

  it('text lists the rules with their sources', async () => {
    const r = await lab(['profiles']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kore\s+Kore\.ai\s+header X-ExternalCallId; hangs up: bot; v28\.0$/m);
    expect(r.stdout).toContain('contact id header X-ExternalCallId  [seed 000_d4ad4dad8823db79.txt]');
  });
});

describe('lab answer on a cluster-form API host', () => {
  it('asks for --cxone-region when the token host cannot be derived', async () => {
    const env = { CXONE_ACCESS_KEY_ID: 'id', CXONE_ACCESS_KEY_SECRET: 'secret' };
    const r = await lab(['answer', '--listen', 'tcp:127.0.0.1:0', '--profile', 'kore', '--cxone-api', 'https://api-b32.nice-incontact.com'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"b32" is a cluster name');
    expect(r.stderr).toContain('--cxone-region na1|au1|eu1|…');
    const bad = await lab(['answer', '--listen', 'tcp:127.0.0.1:0', '--profile', 'kore', '--cxone-api', 'https://api-b32.nice-incontact.com', '--cxone-region', 'b32x'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--cxone-region "b32x"');
  });

  it('--cxone-client-auth takes basic, post or auto (RFC 6749 §2.3.1)', async () => {
    const env = { CXONE_ACCESS_KEY_ID: 'id', CXONE_ACCESS_KEY_SECRET: 'secret', CXONE_CLIENT_SECRET: 'pa+ss' };
    const r = await lab(['answer', '--listen', 'tcp:127.0.0.1:0', '--profile', 'polyai', '--cxone-api', 'discover', '--cxone-issuer', 'https://cxone.invalid', '--cxone-client-id', 'app', '--cxone-client-auth', 'jwt'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--cxone-client-auth "jwt": basic, post or auto');
  });
});
