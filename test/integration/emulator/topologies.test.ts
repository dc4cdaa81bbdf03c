// Issue 14: the emulated CXone plays each script topology end to end on loopback (the reference bot
// reads the header and signals the id it read), and a wrong-leg Signal in each topology is explained
// from the topology, never from a fixed "signal the master" rule.
// Sources: single = IBM seed 002_3a3aada58f5230c3.txt; main-spawn = Kore seed 000_d4ad4dad8823db79.txt
// (which id the header holds: assumed here); parent-child = Synthflow seed 001_3d23a4ce92d59cc5.txt;
// ONSIGNAL fires in the signalled contact's script [H-ONS].
import { describe, expect, it } from 'vitest';
import { runHandoff } from '../../../src/main/scenarios/handoff';
import type { CallReport } from '../../../src/main/scenarios/run-report';

const check = (c: CallReport, name: string) => c.checks.find((k) => k.name === name);

const TOPOLOGIES = [
  { profile: 'watson', kind: 'single' },
  { profile: 'kore', kind: 'main-spawn' },
  { profile: 'synthflow', kind: 'parent-child' },
] as const;

describe.each(TOPOLOGIES)('topology $kind ($profile)', ({ profile, kind }) => {
  it('the bot signals the id it read, and ONSIGNAL fires in the script waiting for it', async () => {
    const report = await runHandoff({ profile, transport: 'tcp', topology: { kind } });
    const call = report.calls[0]!;
    expect(report.calls.flatMap((c) => c.checks.filter((k) => !k.ok))).toEqual([]);
    expect(call.cxone!.signalledContactId).toBe(call.contactId.value);
    if (kind === 'single') expect(call.cxone!.childId).toBe(call.cxone!.masterId); // one script, one contact
    else expect(call.cxone!.childId).not.toBe(call.cxone!.masterId);
    expect(call.contactId.value).toBe(call.cxone!.masterId); // header holds the main script's id by default
    expect(call.cxone!.onSignal).not.toBeNull();
  });

  it('a wrong-leg Signal is explained from the topology', async () => {
    // single: a stale id in the header (there is no other leg); the others: the header holds the
    // placing script's id while the main script waits in ONSIGNAL (a customer's script signalling the wrong leg).
    const stale = '4242';
    const report = await runHandoff({
      profile,
      transport: 'tcp',
      dropWaitMs: 300,
      ...(kind === 'single' ? { headersOverride: [{ name: 'X-ContactID', value: stale }] } : { topology: { kind, headerHolds: 'placer', onSignalIn: 'main' } }),
    });
    const call = report.calls[0]!;
    const { masterId, childId } = call.cxone!;
    const fired = check(call, 'onsignal-fired')!;
    expect(fired.ok).toBe(false);
    expect(call.cxone!.onSignal).toBeNull();
    if (kind === 'single') {
      expect(call.signal?.status).toBe(404);
      expect(fired.detail).toContain(`wrong leg: this id, ${stale}, is not a contact of this call, whose script has no ONSIGNAL, nothing happens; the script waiting in ONSIGNAL is the script's, ${masterId}`);
    } else {
      const leg = kind === 'main-spawn' ? "the spawned leg's id (the Spawn script)" : "the child leg's id (the child script)";
      const main = kind === 'main-spawn' ? 'the Main script' : 'the parent script';
      expect(call.contactId.value).toBe(childId);
      expect(fired.detail).toContain(`wrong leg: this id, ${childId}, is ${leg}, whose script has no ONSIGNAL, nothing happens; the script waiting in ONSIGNAL is ${main}'s, MasterId ${masterId}`);
      expect(fired.detail).toContain(`CXone put ${childId} (${leg}) in `);
      expect(fired.detail).toContain('the scripts signal the wrong leg');
    }
    // No ONSIGNAL: the bot's BYE leads to ONRELEASE → transfer (IBM's pattern, seed 002).
    expect(call.cxone!.outcome).toMatch(/^ONRELEASE → transfer to agent/);
  });
});
