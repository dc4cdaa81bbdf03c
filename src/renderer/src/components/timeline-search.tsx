/**
 * The search by contact id (issue 15 item 2) for the History screen: type a contact id, see the
 * timeline of everything that carried it (calls of every run kind, Signals, imported captures,
 * test runs).
 */
import { useState } from 'react';
import { ContactTimelinePanel } from './timeline-panel';

/** A contact id field and, once submitted, its timeline (closable). */
export function ContactTimelineSearch() {
  const [text, setText] = useState('');
  const [shown, setShown] = useState('');
  return (
    <div className="tl-contact-search">
      <form
        className="panel toolbar tl-search"
        role="search"
        aria-label="Timeline of a contact id"
        onSubmit={(e) => {
          e.preventDefault();
          setShown(text.trim());
        }}
      >
        <label className="grow">
          <span>Timeline of contact id</span>
          <input type="search" data-testid="contact-search" value={text} spellCheck={false} placeholder="ContactId or MasterId, e.g. 18741848934" onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" data-testid="contact-search-go" disabled={!text.trim()}>
          Show timeline
        </button>
        {shown && (
          <button type="button" onClick={() => setShown('')}>
            Close
          </button>
        )}
      </form>
      {shown && <ContactTimelinePanel contactId={shown} />}
    </div>
  );
}
