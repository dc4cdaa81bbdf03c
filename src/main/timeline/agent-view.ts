/**
 * The agent's side of the handoff (issue 15 item 3, design.md §3): what ONSIGNAL hands the script
 * (p1..p9 as Studio variables), what the agent gets, and where the contact goes.
 * - Watson: p1 is the session history key; the script's PopURL shows the agent
 *   `https://web-chat.global.assistant.watson.appdomain.cloud/loadAgentAppFrame.html?session_history_key={p1}`
 *   (seed 002_3a3aada58f5230c3.txt, "Displaying conversation history to a live agent"); `p1=hangup` → HANGUP.
 * - Synthflow: p1 names the queue or skill REQAGENT routes to (profiles/builtin.ts, [SYN]).
 * - Others: the parameters as a screen pop would show them; the skill is the one set in the script's REQAGENT.
 */
import type { AgentView } from '../../shared/timeline';
import { SIGNAL_PARAM_NAMES } from '../../shared/types';
import type { ScriptSummary } from './script-events';

/** The transcript link Watson's PopURL builds from the session history key (seed 002_3a3aada58f5230c3.txt). */
export function watsonTranscriptUrl(sessionKey: string): string {
  return `https://web-chat.global.assistant.watson.appdomain.cloud/loadAgentAppFrame.html?session_history_key=${encodeURIComponent(sessionKey)}`;
}

/**
 * The agent panel from the script lane's conclusion.
 * @param originMono - the timeline's origin on the reference clock, to give ONSIGNAL's `atMs`.
 * @returns null when there was no call and no Signal to speak of (outcome none and no ONSIGNAL).
 */
export function agentView(s: ScriptSummary, originMono: number): AgentView | null {
  const on = s.onSignal;
  const params = on?.params ?? null;
  const variables = params ? SIGNAL_PARAM_NAMES.filter((n) => params[n]).map((n) => ({ name: n, value: params[n] ?? '' })) : [];
  const p1 = params?.p1 ?? '';
  const profile = s.profile ?? 'custom';
  let skill: string | null = null;
  let screenPop: AgentView['screenPop'] = null;
  if (s.outcome === 'REQAGENT') {
    if (profile === 'watson' && p1) {
      screenPop = { kind: 'url', url: watsonTranscriptUrl(p1), note: 'ONANSWER → ASSIGN watson_url → PopURL {watson_url}: the agent sees the Watson conversation transcript (seed 002)' };
    } else {
      screenPop = { kind: 'params', rows: variables, note: 'the Signal parameters as a screen pop shows them to the agent' };
    }
    skill = profile === 'synthflow' && p1 ? p1 : null;
  } else if (s.outcome === 'ONRELEASE') {
    screenPop = { kind: 'params', rows: [], note: 'no ONSIGNAL: the agent gets the contact without the bot\'s parameters' };
  }
  const where = skill ? `to skill ${skill}` : 'to the skill set in the script\'s REQAGENT (the Signal does not name it)';
  const summary = s.outcome === 'REQAGENT'
    ? `ONSIGNAL in contact ${on?.contactId ?? '?'} → REQAGENT ${where}`
    : s.outcome === 'HANGUP'
      ? `ONSIGNAL with p1=hangup → HANGUP: the contact ends, no agent`
      : s.outcome === 'ONRELEASE'
        ? 'the bot hung up before any Signal: ONRELEASE → transfer to an agent (once)'
        : 'no ONSIGNAL fired: the contact never reached the agent side through the Signal';
  if (!on && s.outcome === 'none' && s.byeFromBotMono === null && s.byeFromCxoneMono === null) return null;
  return {
    onSignal: on ? { contactId: on.contactId, atMs: Math.round((on.mono - originMono) * 1000) / 1000 } : null,
    variables,
    outcome: s.outcome,
    skill,
    screenPop,
    summary,
    params,
  };
}
