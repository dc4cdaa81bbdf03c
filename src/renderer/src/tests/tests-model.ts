/**
 * The Tests screen's state (issue 13 item 6): the open folder and its cases, the case in the
 * editor (text, saved text, live validation), the dashboard's test runs as `test/progress`
 * announces them, and the selected case's history. Requests go through the contract's `tests/*`
 * methods; the subscription to `test/progress` starts with the screen and stays (a run keeps
 * ticking while another screen is shown).
 */
import { create } from 'zustand';
import type { TestFolderView, TestHistoryView, TestRunView, TestValidation } from '../../../shared/tests-contract';
import { errorText } from '../../../shared/result';
import { labApi } from '../store';
import { NEW_CASE } from '../../../shared/case-yaml-form';

/** Everything the Tests screen shows. */
export interface TestsState {
  folderInput: string;
  folder: TestFolderView | null;
  folderError: string | null;
  /** Path of the case in the editor; null: none (or a new, unsaved case). */
  path: string | null;
  text: string;
  savedText: string;
  validation: TestValidation | null;
  editorError: string | null;
  /** Dashboard runs by key, and the one shown. */
  runs: Record<string, TestRunView>;
  shownRun: string | null;
  runError: string | null;
  history: TestHistoryView | null;
  historyError: string | null;
}

export const useTests = create<TestsState>()(() => ({
  folderInput: '',
  folder: null,
  folderError: null,
  path: null,
  text: '',
  savedText: '',
  validation: null,
  editorError: null,
  runs: {},
  shownRun: null,
  runError: null,
  history: null,
  historyError: null,
}));

let subscribed = false;
let validateSeq = 0;
let validateTimer: ReturnType<typeof setTimeout> | null = null;

/** Subscribes to `test/progress` once (idempotent). */
export function ensureTestEvents(): void {
  const api = labApi();
  if (subscribed || !api) return;
  subscribed = true;
  api.on('test/progress', (v) => {
    if (!v || typeof v.key !== 'string') return;
    const before = useTests.getState().runs[v.key];
    useTests.setState((s) => ({ runs: { ...s.runs, [v.key]: v } }));
    if (before?.state === 'running' && v.state !== 'running') {
      // A run of one case (the editor's): its history; else the history shown, refreshed.
      const name = v.cases.length === 1 ? v.cases[0]!.name : useTests.getState().history?.name;
      if (name) void loadHistory(name);
      void refreshFolderQuietly();
    }
  });
}

/** Opens a folder (none: the examples folder the main process proposes). */
export async function openFolder(dir?: string): Promise<void> {
  const api = labApi();
  if (!api) return;
  const r = await api['tests/list'](dir ? { dir } : {});
  if (r.ok) useTests.setState({ folder: r.value, folderError: null, folderInput: r.value.dir });
  else useTests.setState({ folderError: errorText(r) });
}

async function refreshFolderQuietly(): Promise<void> {
  const dir = useTests.getState().folder?.dir;
  if (dir) await openFolder(dir);
}

/** Loads a case file into the editor, and its history. */
export async function openCase(path: string): Promise<void> {
  const api = labApi();
  if (!api) return;
  const r = await api['tests/read']({ path });
  if (!r.ok) {
    useTests.setState({ editorError: errorText(r) });
    return;
  }
  useTests.setState({ path: r.value.path, text: r.value.text, savedText: r.value.text, editorError: null, validation: null });
  await validateNow();
  const v = useTests.getState().validation;
  if (v?.ok) await loadHistory(v.name);
  else useTests.setState({ history: null });
}

/** Replaces the editor's text and validates it shortly after (typing does not flood the main process). */
export function setText(text: string): void {
  useTests.setState({ text });
  if (validateTimer) clearTimeout(validateTimer);
  validateTimer = setTimeout(() => void validateNow(), 200);
}

/** Validates the editor's text now (the main process's loader: file, line, what is wrong). */
export async function validateNow(): Promise<void> {
  const api = labApi();
  if (!api) return;
  const seq = ++validateSeq;
  const { text, path } = useTests.getState();
  const r = await api['tests/validate']({ text, ...(path ? { path } : {}) });
  if (seq !== validateSeq) return; // a newer text was sent meanwhile
  if (r.ok) useTests.setState({ validation: r.value, editorError: null });
  else useTests.setState({ editorError: errorText(r) });
}

/** Saves the editor's text to its file. */
export async function saveCase(): Promise<void> {
  const api = labApi();
  const { path, text } = useTests.getState();
  if (!api || !path) return;
  const r = await api['tests/save']({ path, text });
  if (r.ok) {
    useTests.setState({ savedText: text, validation: r.value, editorError: null });
    await refreshFolderQuietly();
  } else useTests.setState({ editorError: errorText(r) });
}

/**
 * Creates a case file in the open folder from the template and opens it.
 * @returns null when created, else what went wrong in words (an existing file is not overwritten).
 */
export async function createCase(fileName: string): Promise<string | null> {
  const api = labApi();
  const dir = useTests.getState().folder?.dir;
  if (!api || !dir) return 'open a folder first';
  const name = /\.(ya?ml|json)$/i.test(fileName) ? fileName : `${fileName}.yaml`;
  const path = `${dir}${dir.includes('\\') && !dir.includes('/') ? '\\' : '/'}${name}`;
  const r = await api['tests/save']({ path, text: NEW_CASE, create: true });
  if (!r.ok) return errorText(r);
  await refreshFolderQuietly();
  await openCase(path);
  return null;
}

/** Runs files or folders, or the editor's text (unsaved changes run as they are). */
export async function runTests(what: { paths: string[] } | { editor: true }): Promise<void> {
  const api = labApi();
  if (!api) return;
  ensureTestEvents();
  const { path, text } = useTests.getState();
  const r = await api['tests/run']('paths' in what ? { paths: what.paths, vars: {} } : { paths: [], inline: { text, ...(path ? { path } : {}) }, vars: {} });
  if (r.ok) useTests.setState((s) => ({ runs: { ...s.runs, [r.value.key]: s.runs[r.value.key] ?? r.value }, shownRun: r.value.key, runError: null }));
  else useTests.setState({ runError: errorText(r) });
}

/** Loads a case's history (pass rate, latency trend) by its name. */
export async function loadHistory(name: string): Promise<void> {
  const api = labApi();
  if (!api) return;
  const r = await api['tests/history']({ name });
  if (r.ok) useTests.setState({ history: r.value, historyError: null });
  else useTests.setState({ historyError: errorText(r) });
}
