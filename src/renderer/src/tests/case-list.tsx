import { useState } from 'react';
import { createCase, openCase, openFolder, runTests, useTests } from './tests-model';

/** A file name and Create: a new case from the template in the open folder. */
function NewCase() {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="tests-folder-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) void createCase(name.trim()).then((err) => (setError(err), err === null && setName('')));
      }}
    >
      <input type="text" aria-label="New case file name" data-testid="tests-new-name" value={name} spellCheck={false} placeholder="new-case.yaml" onChange={(e) => setName(e.target.value)} />
      <button type="submit" data-testid="tests-new" disabled={!/^[\w .-]+$/.test(name.trim())}>
        + New case
      </button>
      {error && <div className="inline-error">{error}</div>}
    </form>
  );
}

/** The folder's path shown relative to its parent folder's name (`…/examples/tests`). */
function shortDir(dir: string, root: string): string {
  if (dir === root) return 'the whole folder';
  return dir.startsWith(root) ? dir.slice(root.length + 1) : dir;
}

/**
 * The sidebar of the Tests screen: a folder to open, its cases (each loaded: its name, mode and
 * profile, or what is wrong with it), and a Run button per suite (the folder and its suite.yaml folders).
 */
export function CaseList() {
  const folderInput = useTests((s) => s.folderInput);
  const folder = useTests((s) => s.folder);
  const folderError = useTests((s) => s.folderError);
  const path = useTests((s) => s.path);
  const [dir, setDir] = useState<string | null>(null);
  const shown = dir ?? folderInput;
  return (
    <div className="panel tests-list" aria-labelledby="tests-folder-title">
      <h2 id="tests-folder-title">Test cases</h2>
      <form
        className="tests-folder-form"
        onSubmit={(e) => {
          e.preventDefault();
          void openFolder(shown.trim() || undefined).then(() => setDir(null));
        }}
      >
        <input type="text" aria-label="Folder of test cases" data-testid="tests-folder" value={shown} spellCheck={false} placeholder="folder of .yaml cases" onChange={(e) => setDir(e.target.value)} />
        <button type="submit" data-testid="tests-open">
          Open
        </button>
      </form>
      {folderError && <div className="inline-error">{folderError}</div>}
      {folder && (
        <>
          <NewCase />
          <div className="tests-suites">
            {folder.suites.map((s) => (
              <button key={s} type="button" data-testid="tests-run-suite" title={s} onClick={() => void runTests({ paths: [s] })}>
                ▶ Run {shortDir(s, folder.dir)}
              </button>
            ))}
          </div>
          {folder.cases.length === 0 ? (
            <p className="empty">No .yaml, .yml or .json case in {folder.dir}.</p>
          ) : (
            <ul className="tests-cases" aria-label="Cases">
              {folder.cases.map((c) => (
                <li key={c.path}>
                  <button
                    type="button"
                    className={c.path === path ? 'tests-case selected' : 'tests-case'}
                    data-testid="tests-case"
                    data-rel={c.rel}
                    aria-current={c.path === path ? 'true' : undefined}
                    onClick={() => void openCase(c.path)}
                  >
                    <span className="tests-case-name">{c.name}</span>
                    <span className="tests-case-meta">
                      {c.problem ? <span className="fail-text">✗ invalid</span> : `${c.mode} · ${c.profile} · ${c.steps} steps`}
                      <span className="muted"> · {c.rel}</span>
                    </span>
                    {c.problem && <span className="tests-case-problem">{c.problem.slice(c.problem.indexOf(c.rel.split('/').pop()!))}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
