/**
 * Timelines of the calls a report holds (issue 15: the HTML report's timeline), grouped by the
 * contact id they carried: a leg with a recorded contact id, its twin leg (same Call-ID and run:
 * the CXone side records none), or a lone CXone-side leg by the value of its X- header.
 */
import type { ContactTimeline } from '../../shared/timeline';
import type { CallDetail } from '../../shared/types';
import { buildTimeline } from './build';
import { contactHeader } from './script-events';

/** The most timelines one report draws (a load run's report stays readable and small). */
export const MAX_REPORT_TIMELINES = 10;

/**
 * One timeline per contact id, in order of first appearance.
 * @param runKind - the report's run kind, when it is a run's report.
 * @returns at most `max` timelines, and how many contact ids were left out.
 */
export function timelinesOfCalls(calls: readonly CallDetail[], runKind: string | null, max = MAX_REPORT_TIMELINES): { timelines: ContactTimeline[]; omitted: number } {
  const groups = new Map<string, CallDetail[]>();
  const keyOf = (c: CallDetail): string | null => {
    if (c.contactId) return c.contactId;
    const twin = calls.find((o) => o !== c && o.callId === c.callId && o.runId === c.runId && o.contactId);
    if (twin?.contactId) return twin.contactId;
    return contactHeader(c, '')?.value.trim() || null;
  };
  for (const c of calls) {
    const k = keyOf(c);
    if (!k) continue;
    const g = groups.get(k) ?? [];
    g.push(c);
    groups.set(k, g);
  }
  const ids = [...groups.keys()];
  const timelines = ids.slice(0, max).map((contactId) => buildTimeline({
    contactId,
    calls: (groups.get(contactId) ?? []).map((call) => ({ call, runKind })),
    signals: [],
  }));
  return { timelines, omitted: Math.max(0, ids.length - max) };
}
