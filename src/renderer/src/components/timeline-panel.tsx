/**
 * One contact's timeline, fetched with the contract method `history/contact` (issue 15): the
 * zoomable drawing, the findings, the sources and the agent's side. Used by the call view (the
 * selected call's contact) and the History screen's contact search.
 */
import { useEffect, useState } from 'react';
import type { ContactTimeline } from '../../../shared/timeline';
import type { CallDetail } from '../../../shared/types';
import { labApi } from '../store';
import { TimelineAgentPanel } from './timeline-agent';
import { TimelineView } from './timeline-view';
import '../timeline.css';

/**
 * @param contactId - the id to show; nothing is fetched while it is empty.
 * @param refreshKey - changes when the underlying call changes (new messages, a Signal, its end), to fetch again.
 */
export function ContactTimelinePanel({ contactId, refreshKey = '' }: { contactId: string; refreshKey?: string }) {
  const [timeline, setTimeline] = useState<ContactTimeline | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stepsSeen = useScriptStepsOf(timeline);
  useEffect(() => {
    const id = contactId.trim();
    if (!id) return;
    let live = true;
    void labApi()?.['history/contact']({ contactId: id }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setTimeline(r.value);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [contactId, refreshKey, stepsSeen]);

  if (error) return <div className="inline-error">history/contact: {error}</div>;
  if (!timeline || timeline.contactId !== contactId.trim()) return <p className="muted">Loading the timeline of contact {contactId}…</p>;
  if (timeline.events.length === 0) return <p className="empty" data-testid="timeline-empty">Nothing in history carried contact {timeline.contactId}.</p>;
  return (
    <div className="tl-columns" data-testid="timeline-panel" data-contact-id={timeline.contactId}>
      <section className="panel" aria-labelledby="tl-title">
        <div className="tl-panel-head">
          <h2 id="tl-title">Timeline of contact {timeline.contactId}</h2>
          <span className="muted">
            {timeline.events.length} events on one monotonic clock from {new Date(timeline.originWallMs).toLocaleString()} · {timeline.sources.length} source(s)
          </span>
        </div>
        {timeline.notes.length > 0 && (
          <ul className="tl-notes" data-testid="timeline-notes">
            {timeline.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
        <TimelineView timeline={timeline} />
        <details>
          <summary>Sources ({timeline.sources.length})</summary>
          <ul>
            {timeline.sources.map((s) => (
              <li key={`${s.kind}-${s.id}`}>
                {s.runKind ? <span className="muted">{s.runKind} · </span> : null}
                {s.label}
              </li>
            ))}
          </ul>
        </details>
      </section>
      <TimelineAgentPanel agent={timeline.agent} />
    </div>
  );
}

/**
 * The contact id a call carried: its recorded one (the bot side), else the value of the X- header
 * of its INVITE that looks like an id (the CXone side records none), else null.
 */
export function contactIdOfCall(call: Pick<CallDetail, 'contactId' | 'invite'>): string | null {
  if (call.contactId) return call.contactId;
  const h = call.invite?.headers.find((x) => /^x-/i.test(x.name) && /^\s*\d{4,}\s*$/.test(x.value));
  return h ? h.value.trim() : null;
}

/**
 * Counts the `script/step` events (a stored step of the emulated CXone script) on a leg the
 * timeline shows, so that the panel fetches itself again: the script takes its last steps (ONRELEASE,
 * REQAGENT, the agent) during its ~300 ms settle after the call ended (child-script.ts `settleMs`),
 * on the leg it placed, which the call view's own call may not be. A step on a leg the timeline does
 * not show yet arrives with that leg's INVITE, which the call view announces itself.
 * @returns a number that grows with each such step (a refresh key).
 */
function useScriptStepsOf(timeline: ContactTimeline | null): number {
  const [seen, setSeen] = useState(0);
  const legs = timeline ? timeline.sources.filter((s) => s.kind === 'call').map((s) => s.id).join(' ') : '';
  useEffect(() => {
    const api = labApi();
    if (!api || !legs) return;
    const shown = new Set(legs.split(' '));
    return api.on('script/step', (e) => {
      if (e && shown.has(e.callRef)) setSeen((n) => n + 1);
    });
  }, [legs]);
  return seen;
}

/** The timeline of the selected call's contact, refreshed as the call changes (state, messages, Signals, media) and as the emulated script stores a step. */
export function CallContactTimeline({ call }: { call: CallDetail }) {
  const id = contactIdOfCall(call);
  if (!id) return null;
  const key = `${call.id}:${call.state}:${call.messages.length}:${call.signals.length}:${call.media ? 1 : 0}`;
  return <ContactTimelinePanel contactId={id} refreshKey={key} />;
}
