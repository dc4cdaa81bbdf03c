import { AppHeader } from './components/app-header';
import { CallDetailView } from './components/call-detail-view';
import { CallList } from './components/call-list';
import { LinkBanner } from './components/link-banner';
import { PlaceCallPanel } from './components/place-call-panel';

/** The one-page dashboard: header, link banner, calls on the left, the selected call on the right. */
export function App() {
  return (
    <div className="app">
      <AppHeader />
      <LinkBanner />
      <main className="layout">
        <aside className="sidebar">
          <PlaceCallPanel />
          <CallList />
        </aside>
        <section className="content" aria-label="Call detail">
          <CallDetailView />
        </section>
      </main>
    </div>
  );
}
