import { useMemo, useRef } from 'react';
import { useLab } from '../store';
import { saveCase, runTests, setText, useTests } from './tests-model';
import { readForm, writeForm, type FormField } from '../../../shared/case-yaml-form';

const MODES = ['embedded', 'emulate', 'answer', 'call'] as const;

/** The YAML side: the text with a line-number gutter, the line of the validation error marked. */
function YamlPane({ errorLine }: { errorLine: number | null }) {
  const text = useTests((s) => s.text);
  const gutter = useRef<HTMLPreElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const lines = Math.max(1, text.split('\n').length);
  const goTo = (line: number): void => {
    const el = area.current;
    if (!el) return;
    const starts = text.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(starts, starts + (text.split('\n')[line - 1]?.length ?? 0));
  };
  return (
    <div className="tests-yaml">
      <div className="tests-yaml-box">
        <pre className="tests-gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lines }, (_, i) => (
            <span key={i} className={i + 1 === errorLine ? 'tests-gutter-line error' : 'tests-gutter-line'}>
              {i + 1}
            </span>
          ))}
        </pre>
        <textarea
          ref={area}
          className="tests-yaml-text"
          data-testid="tests-yaml"
          aria-label="Case YAML"
          spellCheck={false}
          wrap="off"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
      {errorLine !== null && (
        <button type="button" className="link-button" onClick={() => goTo(errorLine)}>
          go to line {errorLine}
        </button>
      )}
    </div>
  );
}

/** The form side: the case's head fields (written into the YAML) and its steps as read by the validator. */
function FormPane() {
  const text = useTests((s) => s.text);
  const validation = useTests((s) => s.validation);
  const profiles = useLab((s) => s.profiles);
  const form = useMemo(() => readForm(text), [text]);
  const set = (f: FormField, v: string): void => setText(writeForm(text, f, v));
  if (!form) return <p className="hint fail-text">The YAML does not parse as a mapping: fix it on the right, the form follows.</p>;
  const mode = form.mode;
  return (
    <div className="tests-form">
      <label className="wide">
        <span>Name</span>
        <input type="text" data-testid="tests-form-name" value={form.name} onChange={(e) => set('name', e.target.value)} />
      </label>
      <label>
        <span>Profile</span>
        <select data-testid="tests-form-profile" value={form.profile} onChange={(e) => set('profile', e.target.value)}>
          {!profiles.some((p) => p.id === form.profile) && <option value={form.profile}>{form.profile || '(none)'}</option>}
          {profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Mode</span>
        <select data-testid="tests-form-mode" value={form.mode} onChange={(e) => set('mode', e.target.value)}>
          {!(MODES as readonly string[]).includes(form.mode) && <option value={form.mode}>{form.mode || '(none)'}</option>}
          {MODES.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      {(mode === 'emulate' || mode === 'call') && (
        <>
          <label className="wide">
            <span>SIP target</span>
            <input type="text" spellCheck={false} placeholder="sip:bot@10.0.0.5:5060" value={form.target} onChange={(e) => set('target', e.target.value)} />
          </label>
          <label>
            <span>Transport</span>
            <select value={form.transport} onChange={(e) => set('transport', e.target.value)}>
              <option value="">(profile default)</option>
              <option value="udp">UDP</option>
              <option value="tcp">TCP</option>
              <option value="tls">TLS</option>
            </select>
          </label>
        </>
      )}
      <label>
        <span>Timeout</span>
        <input type="text" spellCheck={false} placeholder="60s" value={form.timeout} onChange={(e) => set('timeout', e.target.value)} />
      </label>
      <div className="wide">
        <span className="tests-form-label">Steps</span>
        {validation?.ok ? (
          <ol className="tests-form-steps" data-testid="tests-form-steps">
            {validation.steps.map((s, i) => (
              <li key={i}>
                <code>{s.label}</code>
              </li>
            ))}
          </ol>
        ) : (
          <p className="hint muted">The steps show once the case is valid; edit them in the YAML.</p>
        )}
      </div>
    </div>
  );
}

/** The case editor: form and YAML side by side, validated live by the main process; Save and Run. */
export function CaseEditor() {
  const path = useTests((s) => s.path);
  const text = useTests((s) => s.text);
  const saved = useTests((s) => s.savedText);
  const validation = useTests((s) => s.validation);
  const editorError = useTests((s) => s.editorError);
  const dirty = text !== saved;
  const errorLine = validation && !validation.ok ? validation.line : null;
  return (
    <section className="panel tests-editor" aria-labelledby="tests-editor-title">
      <div className="tests-editor-head">
        <h2 id="tests-editor-title">{path ? path.split(/[\\/]/).pop() : 'New case'}</h2>
        {dirty && <span className="tag tag-warn">unsaved</span>}
        <span
          className={validation === null ? 'pill' : validation.ok ? 'pill pill-ok' : 'pill pill-fail'}
          data-testid="tests-validity"
          data-ok={validation === null ? '' : String(validation.ok)}
        >
          {validation === null ? 'checking…' : validation.ok ? '✓ valid' : '✗ invalid'}
        </span>
        <span className="spacer" />
        <button type="button" data-testid="tests-save" disabled={!path || !dirty} onClick={() => void saveCase()}>
          Save
        </button>
        <button type="button" className="primary" data-testid="tests-run-case" disabled={!validation?.ok} onClick={() => void runTests({ editor: true })} title={dirty ? 'Runs the text as it is in the editor (not saved)' : 'Runs the case'}>
          ▶ Run case
        </button>
      </div>
      {path && <p className="hint muted tests-path">{path}</p>}
      {validation && !validation.ok && (
        <div className="inline-error tests-problem" data-testid="tests-problem" role="status">
          {validation.line !== null ? `line ${validation.line}${validation.column !== null ? `, column ${validation.column}` : ''}: ` : ''}
          {validation.problem}
        </div>
      )}
      {editorError && <div className="inline-error">{editorError}</div>}
      <div className="tests-editor-body">
        <FormPane />
        <YamlPane errorLine={errorLine} />
      </div>
    </section>
  );
}
