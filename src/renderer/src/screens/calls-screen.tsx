import { CallDetailView } from '../components/call-detail-view';
import { CallList } from '../components/call-list';
import { ListenersPanel } from '../components/listeners-panel';
import { PlaceCallPanel } from '../components/place-call-panel';

/** Calls (issue 5 items 1-2): place a call, the listeners to give CXone, the live calls; the selected call on the right. */
export function CallsScreen() {
  return (
    <div className="layout">
      <aside className="sidebar">
        <PlaceCallPanel />
        <ListenersPanel />
        <CallList />
      </aside>
      <section className="content" aria-label="Call detail">
        <CallDetailView />
      </section>
    </div>
  );
}
