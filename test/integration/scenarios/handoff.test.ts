// The embedded default end to end on loopback: the CXone emulator (API + child script) calls the
// reference bot over real UDP and TCP sockets, for every vendor profile; the run is written to a
// real SQLite file and read back.
import { headerContactId } from '../../../src/main/emulator/placecall-headers';
import { topologyOf } from '../../../src/main/profiles/topology';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { getProfile } from '../../../src/main/profiles';
import { runHandoff } from '../../../src/main/scenarios/handoff';

const profiles = ['kore', 'synthflow', 'watson', 'polyai'] as const;
const transports = ['tcp', 'udp'] as const;

describe.each(transports)('handoff over %s', (transport) => {
  it.each(profiles)('%s: contact id extracted, Signal accepted, leg dropped by the right side, history written', async (profileId) => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'lab-handoff-')), 'history.db');
    const report = await runHandoff({ profile: profileId, transport, dbFile });
    const profile = getProfile(profileId);
    const failed = report.calls.flatMap((c) => c.checks.filter((k) => !k.ok));
    expect(failed).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.calls).toHaveLength(1);
    const call = report.calls[0]!;
    expect(call.contactId.header).toBe(profile.contactIdHeaders[0]);
    expect(call.contactId.value).toBe(call.cxone && headerContactId(topologyOf(profile), call.cxone));
    expect(call.invite.headers.find((h) => h.name === profile.contactIdHeaders[0])?.value).toBe(call.contactId.value);
    expect(call.invite.originalRequestUri).toMatch(/^sip:15550100@/);
    expect(call.signal?.status).toBeGreaterThanOrEqual(200);
    expect(call.signal?.status).toBeLessThan(300);
    expect(call.signal?.params).toEqual(profile.defaultSignal);
    expect(call.cxone?.onSignal).toEqual(profile.defaultSignal);
    expect(call.end?.by).toBe(profile.hangsUp === 'bot' ? 'local' : 'remote');
    for (const mark of ['invite_to_100', 'invite_to_180', 'invite_to_200', 'token_ms', 'signal_http_ms', 'signal_to_bye_ms'] as const) {
      expect(call.latency[mark], mark).toBeGreaterThanOrEqual(0);
    }

    const store = HistoryStore.open(dbFile);
    try {
      const run = store.getRun(report.runId);
      expect(run?.ok).toBe(true);
      const detail = store.getCall(call.callRef);
      expect(detail?.verdict?.value).toBe(call.contactId.value);
      expect(detail?.invite?.headers).toEqual(call.invite.headers);
      const methods = detail!.messages.map((m) => `${m.direction} ${m.status ?? m.method}`);
      expect(methods).toEqual(expect.arrayContaining(['in INVITE', 'out 200', 'in ACK']));
      expect(methods.filter((m) => m.endsWith('BYE'))).toHaveLength(1);
      for (let i = 1; i < detail!.messages.length; i++) {
        expect(detail!.messages[i]!.monoMs).toBeGreaterThanOrEqual(detail!.messages[i - 1]!.monoMs);
      }
      expect(detail?.signals.map((s) => s.status)).toEqual([call.signal?.status]);
      expect(JSON.stringify(detail?.signals)).not.toMatch(/Bearer (?!\[redacted\])/);
      expect(detail?.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['contact-id', 'signal-accepted', 'leg-dropped', 'onsignal-fired']));
      // Both legs (CXone's and the bot's) are in history under the run.
      expect(store.listCalls({ runId: report.runId }).map((c) => c.role).sort()).toEqual(['uac', 'uas']);
    } finally {
      store.close();
    }
  });
});

describe('handoff failures are reported, not hidden', () => {
  it('Kore: a header that arrives lower-cased fails the contact-id check', async () => {
    const report = await runHandoff({
      profile: 'kore',
      transport: 'tcp',
      headersOverride: [{ name: 'x-externalcallid', value: '12345678901' }],
      dropWaitMs: 1000,
    });
    expect(report.ok).toBe(false);
    const check = report.calls[0]!.checks.find((c) => c.name === 'contact-id');
    expect(check?.ok).toBe(false);
    expect(check?.detail).toMatch(/case/i);
    expect(report.calls[0]!.contactId.nearMisses.map((n) => n.kind)).toContain('case');
  });

  it('a missing header: no Signal, the bot hangs up, CXone plays ONRELEASE', async () => {
    const report = await runHandoff({ profile: 'watson', transport: 'udp', headersOverride: [{ name: 'X-Campaign', value: 'spring' }] });
    expect(report.ok).toBe(false);
    const call = report.calls[0]!;
    expect(call.signal).toBeNull();
    expect(call.cxone?.outcome).toMatch(/ONRELEASE/);
    expect(call.contactId.problems.join(' ')).toMatch(/X-ContactID/);
  });
});
