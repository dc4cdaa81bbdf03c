// The emulated CXone child script (SIPPUTHEADER + PLACECALL) calls `sipp -sn uas` over UDP and
// TCP: SIPp's own message log shows the profile's X- headers on the INVITE it received.
import { headerContactId } from '../../../src/main/emulator/placecall-headers';
import { topologyOf } from '../../../src/main/profiles/topology';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CxoneEmulatorApi } from '../../../src/main/emulator/api-server';
import { ChildScript } from '../../../src/main/emulator/child-script';
import { getProfile } from '../../../src/main/profiles';
import { CallRecorder } from '../../../src/main/scenarios/call-recorder';
import { SipEndpoint } from '../../../src/main/sip/endpoint';
import { describeSipp, freePort, runSipp, sippAvailable, waitForListening } from '../../helpers/sip/sipp';

describe.skipIf(!sippAvailable())('PLACECALL to sipp -sn uas', () => {
  it.each([
    ['udp', 'synthflow'],
    ['tcp', 'kore'],
  ] as const)('over %s with the %s headers', async (transport, profileId) => {
    const profile = getProfile(profileId);
    const dir = mkdtempSync(join(tmpdir(), 'lab-placecall-'));
    const port = await freePort(4);
    const sipp = runSipp(['-sn', 'uas', '-t', transport === 'udp' ? 'u1' : 't1', '-i', '127.0.0.1', '-p', String(port), '-mp', String(port + 2), '-m', '1', '-nostdin', '-trace_msg', '-message_file', 'msgs.log'], { cwd: dir, timeoutMs: 30_000 });
    await waitForListening(port, transport);
    const api = await CxoneEmulatorApi.start({ host: '127.0.0.1', port: 0, accessKeys: [] });
    const ep = await SipEndpoint.start({ transport, host: '127.0.0.1', port: 0, user: 'cxone' });
    try {
      const script = new ChildScript({ endpoint: ep, api, profile, target: `sip:service@127.0.0.1:${port};transport=${transport}`, recorder: new CallRecorder(null, null), runId: null, maxCallMs: 1500 });
      const outcome = await script.run();
      expect(outcome.outcome).toMatch(/no ONSIGNAL within 1\.5 s/);
      const s = await sipp.done;
      expect(s.code, describeSipp(s)).toBe(0);
      const log = readFileSync(join(dir, readdirSync(dir).find((f) => f.includes('msgs'))!), 'utf8');
      const received = log.split(/-{5,}/).find((m) => /INVITE sip:service@/.test(m)) ?? '';
      for (const h of script.headers()) expect(received).toContain(`${h.name}: ${h.value}`);
      expect(received).toContain(`${profile.contactIdHeaders[0]}: ${headerContactId(topologyOf(profile), outcome)}`);
    } finally {
      sipp.kill();
      await ep.stop();
      await api.stop();
    }
  });
});
