// `lab history --contact` and `lab report --contact` as real processes over a history written by
// a real embedded handoff (`lab run handoff`): the JSON holds both legs, the Signal and the timeline.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContactTimeline } from '../../../src/shared/timeline';

const root = resolve(import.meta.dirname, '../../..');
function lab(args: string[]) {
  const r = spawnSync('npx', ['tsx', join(root, 'src/main/cli/index.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('lab history --contact (process)', () => {
  it('finds both legs of an embedded handoff and prints its timeline; --json - is pure JSON; unknown id exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-history-cli-'));
    const db = join(dir, 'h.db');
    const run = lab(['run', 'handoff', '--profile', 'watson', '--db', db, '--json', join(dir, 'run.json')]);
    expect(run.code, run.out + run.err).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { calls: Array<{ contactId: { value: string | null } | null }> };
    const cid = report.calls.map((c) => c.contactId?.value).find((x): x is string => !!x)!;

    const text = lab(['history', '--contact', cid, '--db', db]);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/CXone script\s+SIPPUTHEADER X-ContactID/);
    expect(text.out).toMatch(/CXone API\s+Signal 202/);
    expect(text.out).toMatch(/screen pop \(PopURL\): https:\/\/web-chat\.global\.assistant\.watson/);

    const json = lab(['history', '--contact', cid, '--db', db, '--json', '-']);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.out) as { ok: boolean; calls: Array<{ role: string }>; timeline: ContactTimeline };
    expect(body.calls.map((c) => c.role).sort()).toEqual(['uac', 'uas']);
    expect(body.timeline.lanes).toEqual(['caller', 'script', 'api', 'bot']);
    expect(body.timeline.agent?.outcome).toBe('REQAGENT');

    const html = join(dir, 'contact.html');
    const rep = lab(['report', '--contact', cid, '--html', html, '--db', db]);
    expect(rep.code, rep.out + rep.err).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).toContain(`Timeline of contact ${cid}`);
    expect(page).not.toMatch(/<script/i);

    const none = lab(['history', '--contact', '424242', '--db', db]);
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/nothing in history carried this contact id/);
    expect(lab(['history', '--db', db]).code).toBe(2);
  }, 240_000);
});
