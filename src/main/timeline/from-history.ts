/**
 * The timeline of a contact id straight from history: search (history/contact-search.ts), then
 * build (build.ts). What the CLI, the report and the contract method `history/contact` call.
 */
import type { ContactTimeline, StepMark } from '../../shared/timeline';
import type { ContactHistory } from '../history/contact-search';
import type { HistoryStore } from '../history/store';
import { buildTimeline } from './build';
import { withRecordedVoice } from './recorded-voice';

/** A contact's history and its timeline. */
export interface ContactTimelineResult {
  history: ContactHistory;
  timeline: ContactTimeline;
}

/**
 * Reads and builds the timeline of `contactId`; a recorded call's voice turns come from its WAV
 * (recorded-voice.ts).
 * @param steps - test-case steps to put on the steps lane (`atMs` from their call's INVITE).
 * @returns an empty timeline (no events) when history holds nothing for the id.
 */
export function contactTimeline(store: HistoryStore, contactId: string, steps: readonly StepMark[] = []): ContactTimelineResult {
  const history = store.contactHistory(contactId);
  const calls = history.input.calls.map((c) => ({ ...c, call: withRecordedVoice(c.call) }));
  const timeline = buildTimeline({ ...history.input, calls, steps: [...steps] });
  return { history, timeline };
}
