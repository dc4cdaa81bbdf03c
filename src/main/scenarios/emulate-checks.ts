/**
 * The checks of a `lab emulate` run (design.md §2, mode 2: the app is CXone for a real bot): what
 * the emulated CXone saw of the bot, from its token request to the leg drop after ONSIGNAL. Pure
 * functions of what was observed, so they are unit-testable.
 *
 * @remarks cxone-reference.md §1 (token flows), §2 (Signal path `/interactions/{contactId}/signal`,
 * versions, p1..p9, any 2xx; which contact to signal depends on the script), §4 (ONSIGNAL, REQAGENT,
 * HANGUP, ONRELEASE), §6 (wrong contact id, double transfer).
 */
import { explainSignalledContact } from '../emulator/signal-explain';
import { topologyOf } from '../profiles/topology';
import { formatSource, isAssumed } from '../profiles/sources';
import type { VendorProfile } from '../../shared/profile';
import type { CheckResult, SignalParams } from '../../shared/types';
import { formatSignalParams } from '../../shared/signal-params';
import type { ScriptOutcome } from '../emulator/script-outcome';
import { checkSignalParams } from '../profiles';

/** A token request the emulator answered. */
export interface TokenSeen {
  flow: 'access-key' | 'oauth-password';
  ok: boolean;
  status: number;
  /** ms from the INVITE sent (negative: before the call). */
  sinceInviteMs: number;
}

/** A request on a Signal path, with what the emulator made of it. */
export interface SignalSeen {
  contactId: string;
  params: SignalParams;
  status: number;
  /** The emulator's outcome text; null when it gave none (e.g. the connection was reset by a fault). */
  apiOutcome: string | null;
  /** The request path, e.g. `/incontactapi/services/v30.0/interactions/123/signal`. */
  path: string;
}

/** Everything the checks look at. */
export interface EmulateFacts {
  profile: VendorProfile;
  outcome: ScriptOutcome;
  /** The bot answered the INVITE (2xx). */
  answered: boolean;
  /** How the bot leg ended, e.g. `remote: BYE`, or the PLACECALL failure. */
  endDetail: string;
  tokens: TokenSeen[];
  /** Requests on a Signal path, in arrival order. */
  signals: SignalSeen[];
  /** Other requests the bot made (method, path, status), e.g. a wrong Signal path answered 404. */
  otherRequests: { method: string; path: string; status: number }[];
  /** How long the bot had to signal (ms). */
  timeoutMs: number;
}

/** `/{incontactapi|inContactAPI}/services/vNN.0/interactions/{id}/signal`. */
export const SIGNAL_PATH = /^\/(incontactapi)\/services\/(v\d{1,3}\.0)\/interactions\/([^/]+)\/signal\/?$/i;

const FLOW_NAMES: Record<TokenSeen['flow'], string> = {
  'access-key': 'access-key flow (POST /authentication/v1/token/access-key)',
  'oauth-password': 'OAuth password grant (POST /auth/token)',
};

const is2xx = (s: number): boolean => s >= 200 && s < 300;

/**
 * The run's checks, in the order of the handoff: `call-answered`, `token-request`,
 * `signal-received`, then (once a Signal came) `signal-url`, `signal-contact-id`, `signal-params`,
 * `signal-accepted`, `onsignal`, `leg-dropped` (after an ONSIGNAL) and `single-signal`.
 */
export function emulateChecks(f: EmulateFacts): CheckResult[] {
  const { profile, outcome } = f;
  const checks: CheckResult[] = [];
  checks.push({ name: 'call-answered', ok: f.answered, detail: f.answered ? `the bot answered the INVITE; ${f.endDetail}` : `the bot did not answer: ${f.endDetail}` });
  checks.push(tokenCheck(f));
  const first = f.signals[0];
  if (!first) {
    const near = f.otherRequests.filter((r) => r.method === 'POST' && /signal/i.test(r.path));
    const why = near.length > 0
      ? `the bot posted to ${near.map((r) => `${r.path} (${r.status})`).join(', ')}: not the Signal path …/interactions/{contactId}/signal`
      : outcome.byeBy === 'bot'
        ? 'the bot hung up without signalling'
        : `no Signal within ${f.timeoutMs / 1000} s`;
    checks.push({ name: 'signal-received', ok: false, detail: `${why}; CXone: ${outcome.outcome}` });
    return checks;
  }
  checks.push({ name: 'signal-received', ok: true, detail: `${f.signals.length} Signal request(s); the first to ${first.contactId}` });
  checks.push(urlCheck(first, profile));
  checks.push(contactCheck(first, outcome, profile));
  const bad = checkSignalParams(first.params, profile).filter((c) => !c.ok);
  checks.push({
    name: 'signal-params',
    ok: bad.length === 0,
    detail: bad.length === 0 ? `${formatSignalParams(first.params)} fits ${profile.name}` : bad.map((c) => c.detail).join('; '),
  });
  const accepted = f.signals.find((s) => is2xx(s.status));
  const last = f.signals[f.signals.length - 1]!;
  checks.push({
    name: 'signal-accepted',
    ok: accepted !== undefined,
    detail: accepted
      ? `${accepted.status}${f.signals.length > 1 ? ` (after ${f.signals.indexOf(accepted)} refused)` : ''}: ${accepted.apiOutcome ?? ''}`
      : `every Signal was refused; last ${last.status}: ${last.apiOutcome ?? 'no answer'}`,
  });
  // ONSIGNAL that fired only after ONRELEASE had handled the bot's BYE did not drive the handoff.
  const late = outcome.onSignal !== null && outcome.action === 'ONRELEASE-transfer' && !outcome.faults.includes('no-leg-drop');
  checks.push({
    name: 'onsignal',
    ok: outcome.onSignal !== null && !late,
    detail: !outcome.onSignal
      ? `ONSIGNAL never fired; ${outcome.outcome}`
      : late
        ? `the Signal came after the bot's BYE: ONRELEASE had already transferred the caller, ONSIGNAL (${formatSignalParams(outcome.onSignal)}) came too late`
        : `ONSIGNAL got ${formatSignalParams(outcome.onSignal)}; ${outcome.outcome}`,
  });
  if (outcome.legDrop) checks.push({ name: 'leg-dropped', ok: outcome.legDrop.ok, detail: outcome.legDrop.detail });
  const delivered = f.signals.filter((s) => is2xx(s.status)).length;
  checks.push({
    name: 'single-signal',
    ok: delivered <= 1 && outcome.onSignalCount <= 1,
    detail:
      delivered <= 1 && outcome.onSignalCount <= 1
        ? `one Signal accepted; ${outcome.transfers} transfer(s)`
        : `${delivered} Signals accepted, ONSIGNAL fired ${outcome.onSignalCount} times: a script without a transferred flag transfers twice (${outcome.transfers} transfer(s) here)`,
  });
  return checks;
}

function tokenCheck(f: EmulateFacts): CheckResult {
  const expected = f.profile.auth;
  if (f.tokens.length === 0) {
    return { name: 'token-request', ok: false, detail: `no token request: the bot never asked the emulated CXone for a token (${f.profile.name} uses the ${FLOW_NAMES[expected]})` };
  }
  const good = f.tokens.find((t) => t.ok);
  const list = f.tokens.map((t) => `${t.flow} ${t.status} at ${t.sinceInviteMs} ms`).join(', ');
  const t = good ?? f.tokens[0]!;
  const flowNote = t.flow === expected ? '' : `; ${f.profile.name} is expected to use the ${FLOW_NAMES[expected]}`;
  return {
    name: 'token-request',
    ok: good !== undefined,
    detail: `${good ? `token issued through the ${FLOW_NAMES[t.flow]}` : 'every token request was refused'} (${list})${flowNote}`,
  };
}

function urlCheck(s: SignalSeen, profile: VendorProfile): CheckResult {
  const m = SIGNAL_PATH.exec(s.path);
  if (!m) return { name: 'signal-url', ok: false, detail: `${s.path} is not …/incontactapi/services/vNN.0/interactions/{contactId}/signal` };
  const version = m[2]!;
  const versionNote = version === profile.apiVersion ? `, as ${profile.name}'s profile` : `; ${profile.name}'s profile says ${profile.apiVersion} (CXone serves several versions on this path: set the profile to what the bot uses)`;
  return { name: 'signal-url', ok: true, detail: `POST /${m[1]}/services/${version}/interactions/{contactId}/signal${versionNote}` };
}

function contactCheck(s: SignalSeen, o: ScriptOutcome, profile: VendorProfile): CheckResult {
  // Explained from the script topology (issue 14), never from a fixed "signal the master" rule.
  const t = o.topology ?? topologyOf(profile);
  const e = explainSignalledContact({ topology: t, masterId: o.masterId, childId: o.childId, header: o.header }, s.contactId);
  const detail = e.ok ? e.detail : `${e.detail}; CXone put ${o.header.name}: ${o.header.value}`;
  // The profile's own topology, when assumed (Kore's, PolyAI's), makes a wrong leg a warning, never a failure.
  const src = profile.sources?.topology;
  if (!e.ok && isAssumed(src) && JSON.stringify(t) === JSON.stringify(topologyOf(profile))) {
    return { name: 'signal-contact-id', ok: true, warn: true, detail: `${detail} (a warning: the topology is ${formatSource(src)})`, source: src ?? e.source };
  }
  return { name: 'signal-contact-id', ok: e.ok, detail, source: e.source };
}
