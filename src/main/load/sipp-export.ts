/**
 * `lab load --export-sipp DIR` (issue 12 §5): the same load as a SIPp scenario and injection file,
 * to run from many machines with SIPp (the existing distributed engine for SIP load):
 * - `scenario.xml`: a uac that sends the INVITE with the profile's headers as SIPPUTHEADER puts
 *   them (the contact-id header's value from the injection file), takes 1xx/200, ACKs, then either
 *   answers the far end's BYE (a bot that hangs up after its Signal) or sends its own BYE after the
 *   hold time (SIPp `recv … timeout/ontimeout`, `label`);
 * - `contacts.csv`: SIPp injection file, `SEQUENTIAL`, one call per line: `MasterId;number;header value`
 *   (the first two columns are also what `lab load --contacts` reads);
 * - `README.txt`: how to run it (one machine, and split across several).
 * SIPp reference: the scenario and injection-file sections of the SIPp 3.6 manual.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VendorProfile } from '../../shared/profile';
import { childContactId, placeCallHeaders } from '../emulator/placecall-headers';
import { escapeXml } from '../reports/escape';
import type { ContactSource } from './contacts';

/** What to export. */
export interface SippExportOptions {
  dir: string;
  profile: VendorProfile;
  /** SIP URI of the target (its host:port goes on SIPp's command line, its user is the default number). */
  target: string;
  transport: 'udp' | 'tcp' | 'tls';
  rate: number;
  calls: number;
  concurrent?: number;
  /** Our BYE after this long unless the far end hangs up first (ms); default 0 (at once). */
  holdMs: number;
  contacts: ContactSource;
  /** Extra headers (after the profile's), written verbatim. */
  headers?: { name: string; value: string }[];
}

/** The files written. */
export interface SippExport {
  scenario: string;
  injection: string;
  readme: string;
  /** The SIPp command line of the README (one machine). */
  command: string;
}

/** The parts of a SIP URI SIPp needs: remote host:port and the user. */
export function targetParts(target: string, transport: string): { hostPort: string; user: string } {
  const m = /^sips?:(?:([^@;>]*)@)?(\[[^\]]+\]|[^:;>]+)(?::(\d+))?/i.exec(target.trim());
  if (!m) throw new Error(`--target "${target}": not a SIP URI (sip:user@host:port)`);
  const port = m[3] ?? (transport === 'tls' ? '5061' : '5060');
  return { hostPort: `${m[2]}:${port}`, user: m[1] || 'bot' };
}

/**
 * The scenario XML.
 * @param headers - the INVITE's headers in order, the contact-id header's value being `[field2]`.
 */
export function sippScenarioXml(profileId: string, headers: { name: string; value: string }[], holdMs: number): string {
  const xh = headers.map((h) => `      ${h.name}: ${h.value}`).join('\n');
  const common = (method: string, cseq: string): string => `      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: cxone <sip:cxone@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[field1]@[remote_ip]:[remote_port]>${method === 'INVITE' ? '' : '[peer_tag_param]'}
      Call-ID: [call_id]
      CSeq: ${cseq}
      Contact: <sip:cxone@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<!-- cxone-sip-lab load, profile ${escapeXml(profileId)}: an INVITE as CXone's PLACECALL sends it (headers
     put by SIPPUTHEADER; contact id from the injection file's third field), ACK, then the far end's
     BYE is answered, or ours is sent after ${Math.max(1, holdMs)} ms. Injection: -inf contacts.csv -->
<scenario name="cxone-sip-lab load ${escapeXml(profileId)}">
  <send retrans="500">
    <![CDATA[
      INVITE sip:[field1]@[remote_ip]:[remote_port];transport=[transport] SIP/2.0
${common('INVITE', '1 INVITE')}
${xh}
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=cxone 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 8 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:8 PCMA/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-16

    ]]>
  </send>

  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true" rrs="true"/>

  <send>
    <![CDATA[
      ACK [next_url] SIP/2.0
${common('ACK', '1 ACK')}
      [routes]
      Content-Length: 0

    ]]>
  </send>

  <!-- The far end (a bot after its Signal) hangs up first: answer its BYE. Else ours goes after the hold. -->
  <recv request="BYE" timeout="${Math.max(1, holdMs)}" ontimeout="1"/>
  <send next="2">
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

  <label id="1"/>
  <send retrans="500">
    <![CDATA[
      BYE [next_url] SIP/2.0
${common('BYE', '2 BYE')}
      [routes]
      Content-Length: 0

    ]]>
  </send>
  <recv response="200" crlf="true"/>

  <label id="2"/>
  <!-- linger so a retransmitted BYE (UDP) is absorbed -->
  <pause milliseconds="500"/>

  <ResponseTimeRepartition value="10, 20, 50, 100, 200, 500, 1000"/>
</scenario>
`;
}

/**
 * Writes the scenario, the injection file and the README into `dir` (created when absent).
 * @throws the file system's error; Error for an unusable target.
 */
export function exportSipp(o: SippExportOptions): SippExport {
  const { hostPort, user } = targetParts(o.target, o.transport);
  mkdirSync(o.dir, { recursive: true });
  const put = placeCallHeaders(o.profile, { masterId: '0', childId: '1' });
  const headers = [...put.headers.map((h) => (h === put.contactIdHeader ? { name: h.name, value: '[field2]' } : h)), ...(o.headers ?? [])];
  const scenario = join(o.dir, 'scenario.xml');
  writeFileSync(scenario, sippScenarioXml(o.profile.id, headers, o.holdMs));
  const lines = ['SEQUENTIAL'];
  for (let i = 0; i < o.calls; i++) {
    const c = o.contacts(i);
    const value = placeCallHeaders(o.profile, { masterId: c.contactId, childId: childContactId(c.contactId) }).contactIdHeader.value;
    lines.push(`${c.contactId};${c.number ?? user};${value};`);
  }
  const injection = join(o.dir, 'contacts.csv');
  writeFileSync(injection, `${lines.join('\n')}\n`);
  const t = o.transport === 'tcp' ? 't1' : o.transport === 'tls' ? 'l1' : 'u1';
  const command = `sipp ${hostPort} -sf scenario.xml -inf contacts.csv -t ${t} -r ${o.rate} -m ${o.calls}${o.concurrent ? ` -l ${o.concurrent}` : ''} -i <this machine's IP> -trace_err -nostdin`;
  const readme = join(o.dir, 'README.txt');
  writeFileSync(
    readme,
    `Run the same load with SIPp (profile ${o.profile.id}, ${o.calls} calls at ${o.rate} calls/s to ${o.target}), from this folder:
  ${command}
From N machines: split contacts.csv into N files (keep the SEQUENTIAL first line in each; e.g. with split -n l/N after removing it), give each machine its own with -inf, and divide -r and -m by N.
Fields of contacts.csv: MasterId;number dialled;contact-id header value (the MasterId or the child's id, as the profile's script topology puts it).${o.transport === 'tls' ? '\nNote: the Debian build of SIPp has no TLS; use a SIPp built with TLS for -t l1.' : ''}
`,
  );
  return { scenario, injection, readme, command };
}
