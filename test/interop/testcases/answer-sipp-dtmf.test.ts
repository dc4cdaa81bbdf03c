/**
 * `answer` mode against SIPp as the caller (CXone's side): SIPp sends an INVITE with Kore's
 * X-ExternalCallId, then keys a digit as RFC 4733 telephone-events by replaying its own capture
 * (`play_pcap_audio` of /usr/share/sip-tester/dtmf_2833_<digit>.pcap). The case is the bot: it
 * checks the header, greets, expects the digit 2, signals the embedded CXone API and hangs up.
 * It passes when SIPp keys 2 and fails at expect_dtmf, naming the digit, when SIPp keys 1.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabRuntime } from '../../../src/main/runtime/lab-runtime';
import type { TestRunReport } from '../../../src/main/runs/test-case';
import { describeSipp, freePort, runSipp, sippAvailable, waitForListening } from '../../helpers/sip/sipp';

const PCAP_DIR = '/usr/share/sip-tester';

/** A SIPp UAC that sends Kore's header, keys `digit` from SIPp's capture after the ACK, and waits for our BYE. */
function uacScenario(digit: string): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="UAC keys ${digit} by RFC 4733 from a pcap">
  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port];transport=[transport] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: cxone <sip:cxone@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: [service] <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:cxone@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      X-ExternalCallId: 45678912345
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-16

    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rtd="true" rrs="true"/>
  <send>
    <![CDATA[
      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: cxone <sip:cxone@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: [service] <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      [routes]
      Contact: <sip:cxone@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <nop><action><exec play_pcap_audio="dtmf_2833_${digit}.pcap"/></action></nop>
  <recv request="BYE" timeout="20000"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:cxone@[local_ip]:[local_port];transport=[transport]>
      Content-Length: 0

    ]]>
  </send>
  <pause milliseconds="500"/>
</scenario>
`;
}

const CASE = (port: number): string => `name: the bot hears the caller press 2 (SIPp, RFC 4733)
profile: kore
mode: answer
sip: { listen: "udp:127.0.0.1:${port}" }
cxone: { api: embedded }
timeout: 30s
steps:
  - expect_header: { name: X-ExternalCallId, pattern: "^[0-9]{11}$", exact_case: true }
  - say: "Welcome. Press 2 for an agent."
  - expect_dtmf: { digits: "2", within: 10s }
  - signal: { p1: AgentHandoff, p3: session-1 }
  - hangup
expect: { contact_id: pass, budgets: { signal_http: 5s } }
`;

describe.skipIf(!sippAvailable())('answer mode against SIPp keying RFC 4733 digits', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'answer-sipp-'));
    for (const d of ['1', '2']) copyFileSync(join(PCAP_DIR, `dtmf_2833_${d}.pcap`), join(dir, `dtmf_2833_${d}.pcap`));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the case while SIPp calls it, keying `digit`. */
  async function runWith(digit: string): Promise<{ report: TestRunReport; sippOut: string }> {
    const casePort = await freePort();
    const sippPort = await freePort();
    const mediaPort = await freePort(4);
    const file = join(dir, `case-${digit}.yaml`);
    writeFileSync(file, CASE(casePort));
    writeFileSync(join(dir, `uac-${digit}.xml`), uacScenario(digit));
    const rt = LabRuntime.open({ dbFile: null });
    try {
      const running = rt.run<TestRunReport>('test', { paths: [file] });
      await waitForListening(casePort, 'udp');
      const sipp = runSipp(
        ['-sf', `uac-${digit}.xml`, '-t', 'u1', '-i', '127.0.0.1', '-p', String(sippPort), '-mp', String(mediaPort), '-s', 'bot', '-m', '1', '-timeout', '25', '-timeout_error', '-nostdin', `127.0.0.1:${casePort}`],
        { cwd: dir, timeoutMs: 30_000 },
      );
      const [report, sipp_] = await Promise.all([running, sipp.done]);
      return { report, sippOut: describeSipp(sipp_) };
    } finally {
      await rt.close();
    }
  }

  it('passes: header checked, greeting sent, digit 2 received, Signal accepted, hung up', async () => {
    const { report, sippOut } = await runWith('2');
    const c = report.cases[0]!;
    const failed = c.steps.find((s) => s.status === 'failed');
    expect(failed ? `${failed.kind}: ${failed.detail}` : 'none', sippOut).toBe('none');
    expect(report.ok, JSON.stringify(c.expectations)).toBe(true);
    expect(c.steps.map((s) => s.kind)).toEqual(['expect_header', 'say', 'expect_dtmf', 'signal', 'hangup']);
    expect(c.dtmf_received.map((d) => d.digit)).toEqual(['2']);
    expect(c.expectations.find((k) => k.name === 'contact-id')).toMatchObject({ ok: true });
  }, 60_000);

  it('fails at expect_dtmf, naming the digit, when the caller keys 1', async () => {
    const { report } = await runWith('1');
    const c = report.cases[0]!;
    expect(report.ok).toBe(false);
    const failed = c.steps.find((s) => s.status === 'failed');
    expect(failed?.kind).toBe('expect_dtmf');
    expect(failed?.detail).toMatch(/got "1", expected "2"/);
    expect(c.steps.slice(3).map((s) => s.status)).toEqual(['skipped', 'skipped']);
  }, 60_000);
});
