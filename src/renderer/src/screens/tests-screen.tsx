import { useEffect } from 'react';
import { CaseEditor } from '../tests/case-editor';
import { CaseHistory } from '../tests/case-history';
import { CaseList } from '../tests/case-list';
import { RunView } from '../tests/run-view';
import { ensureTestEvents, openFolder, useTests } from '../tests/tests-model';
import '../tests/tests.css';

/**
 * Tests (issue 13 item 6): open a folder of test cases, edit a case (form and YAML side by side,
 * validated live by the main process with file line numbers), run a case or a suite and watch its
 * steps tick, see the case's history (pass rate, latency trend) and open any run's report.
 */
export function TestsScreen() {
  const folder = useTests((s) => s.folder);
  const path = useTests((s) => s.path);
  useEffect(() => {
    ensureTestEvents();
    if (!useTests.getState().folder) void openFolder();
  }, []);
  return (
    <div className="layout tests-screen">
      <aside className="sidebar">
        <CaseList />
      </aside>
      <section className="content tests-main" aria-label="Test case">
        {path ? <CaseEditor /> : <p className="panel empty">{folder ? 'Pick a case on the left to edit and run it, or run a whole suite.' : 'Open a folder of test cases.'}</p>}
        <RunView />
        {path && <CaseHistory />}
      </section>
    </div>
  );
}
