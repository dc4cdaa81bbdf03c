/**
 * Where each load call's contact id (and optionally the number it dials) comes from: a fresh
 * emulated contact id per call, like CXone gives every PLACECALL's contact its own id, or the rows
 * of a CSV file used in order and wrapped around (SIPp's SEQUENTIAL injection, so the same file
 * drives `lab load` and an exported SIPp run).
 *
 * CSV: one row per call, `contact_id[,number]` (`;` also separates, as in SIPp injection files). A
 * first line `SEQUENTIAL`/`RANDOM`/`USER` (SIPp's) and a header row whose first cell is not a
 * number are skipped; `#` starts a comment line.
 */
import { readFileSync } from 'node:fs';
import { newContactId } from '../emulator/child-script';

/** One call's identity. */
export interface LoadContact {
  /** The MasterId of the emulated contact (digits). */
  contactId: string;
  /** The user part to dial instead of the target's (a pseudo number), when the CSV gives one. */
  number?: string;
}

/** Gives the contact of call i (0-based). */
export type ContactSource = (i: number) => LoadContact;

/** A fresh 11-digit contact id per call (emulator/child-script.ts). */
export const freshContacts: ContactSource = () => ({ contactId: newContactId() });

/**
 * Parses a contacts CSV.
 * @returns the rows in file order. @throws Error naming the line of a row without a numeric
 *   contact id, or when the file has no row.
 */
export function parseContactsCsv(text: string, name = 'contacts CSV'): LoadContact[] {
  const rows: LoadContact[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (rows.length === 0 && /^(SEQUENTIAL|RANDOM|USER)\b/i.test(line)) return;
    const cells = line.split(/[;,]/).map((c) => c.trim().replace(/^"|"$/g, ''));
    const id = cells[0] ?? '';
    if (!/^\d+$/.test(id)) {
      if (rows.length === 0 && !/\d/.test(id)) return; // a header row
      throw new Error(`${name} line ${i + 1}: "${id}" is not a contact id (digits)`);
    }
    const number = cells[1];
    rows.push(number ? { contactId: id, number } : { contactId: id });
  });
  if (rows.length === 0) throw new Error(`${name}: no contact id in it`);
  return rows;
}

/**
 * The contacts of a CSV file, used in order and wrapped around.
 * @throws Error when the file cannot be read or has no usable row.
 */
export function csvContacts(file: string): ContactSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`--contacts ${file}: ${(e as Error).message}`, { cause: e });
  }
  const rows = parseContactsCsv(text, file);
  return (i) => rows[i % rows.length]!;
}
