/**
 * The case editor's form over the YAML text (issue 13 item 6: "form and YAML side by side"): the
 * form reads its fields from the text and writes a change back into the text with the `yaml`
 * library's document model, so comments, order and the steps the form does not show are kept.
 * The YAML stays the one source; the main process validates it.
 */
import { isMap, parseDocument } from 'yaml';

/** The fields the form edits, as paths in the case mapping. */
export const FORM_FIELDS = {
  name: ['name'],
  profile: ['profile'],
  mode: ['mode'],
  target: ['sip', 'target'],
  transport: ['sip', 'transport'],
  timeout: ['timeout'],
} as const;

/** A form field's name. */
export type FormField = keyof typeof FORM_FIELDS;

/** The form's values read from the text ('' for a missing field); null when the text is not a YAML mapping. */
export function readForm(text: string): Record<FormField, string> | null {
  const doc = parseDocument(text);
  if (doc.errors.length || !isMap(doc.contents)) return null;
  const out = {} as Record<FormField, string>;
  for (const [k, path] of Object.entries(FORM_FIELDS) as [FormField, readonly string[]][]) {
    const v = doc.getIn(path);
    out[k] = v === undefined || v === null ? '' : String(v);
  }
  return out;
}

/**
 * The text with one form field set ('' removes it; an emptied `sip` mapping goes too).
 * @returns the text unchanged when it cannot be parsed (the YAML side shows why).
 */
export function writeForm(text: string, field: FormField, value: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length || !(isMap(doc.contents) || doc.contents === null)) return text;
  const path = FORM_FIELDS[field];
  if (value === '') {
    if (doc.hasIn(path)) doc.deleteIn(path);
    if (path.length > 1) {
      const parent = doc.getIn(path.slice(0, -1));
      if (isMap(parent) && parent.items.length === 0) doc.deleteIn(path.slice(0, -1));
    }
  } else doc.setIn(path, /^\d+$/.test(value) && field === 'timeout' ? Number(value) : value);
  return doc.toString({ lineWidth: 0 });
}

/** A new case's text (the form fills it in). */
export const NEW_CASE = `name: My new case
profile: kore
mode: embedded
bot:
  greeting: "Hello, press 2 for an agent."
  on_dtmf: { "2": { p1: AgentHandoff } }
steps:
  - expect_speech: { within: 5s }
  - wait_silence: { for: 700ms, within: 20s }
  - dtmf: "2"
  - expect_signal: { within: 10s, params: { p1: AgentHandoff } }
  - expect_hangup: { within: 5s }
`;
