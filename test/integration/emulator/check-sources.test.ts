// Issue 14: a warning (a repeated contact-id header [H-PUT], [H-GET]; a check built on an assumed
// rule) never fails the run, and history (migration 6), the text report, HTML and Markdown show it
// with the rule's source beside its verdict.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { buildReportDocument } from '../../../src/main/reports/report-document';
import { renderHtmlReport } from '../../../src/main/reports/html-report';
import { renderMarkdownReport } from '../../../src/main/reports/markdown-report';
import { runHandoff } from '../../../src/main/scenarios/handoff';
import { formatRunReport } from '../../../src/main/scenarios/run-report';

describe('warnings and rule sources in reports', () => {
  it('a repeated contact-id header is a warning naming the first value; the contact-id check stays ok', async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'lab-sources-')), 'history.db');
    // CXone allows putting a header more than once (SIPPUTHEADER run twice [H-PUT]).
    const report = await runHandoff({ profile: 'kore', transport: 'tcp', dbFile, topology: { headerHolds: 'placer' }, headersOverride: [] });
    // headersOverride [] sends no header: under Kore (header name from seed 000) that is a failure.
    expect(report.ok).toBe(false);

    const second = await runHandoff({
      profile: 'watson',
      transport: 'tcp',
      dbFile,
      headersOverride: [
        { name: 'X-ContactID', value: '{ContactId}' },
        { name: 'X-ContactID', value: '999' },
      ],
    });
    const call = second.calls[0]!;
    const cid = call.checks.find((k) => k.name === 'contact-id')!;
    expect(cid).toMatchObject({ ok: true, warn: true });
    expect(cid.detail).toContain('a bot reading the first gets "{ContactId}"');
    expect(cid.detail).toContain('a warning: built on assumed here (no source gives the format');
    expect(call.contactId.warnings?.length).toBe(2);

    const text = formatRunReport(second);
    expect(text).toMatch(/^ {4}! contact-id: /m);
    expect(text).toContain('warning: header "X-ContactID" arrived 2 times');

    const store = HistoryStore.open(dbFile);
    try {
      const stored = store.getCall(call.callRef)!;
      expect(stored.checks.find((k) => k.name === 'contact-id')).toMatchObject({ ok: true, warn: true });
      const doc = buildReportDocument(store, { runId: second.runId });
      const html = renderHtmlReport(doc);
      expect(html).toContain('class="warnrow"');
      const md = renderMarkdownReport(doc);
      expect(md).toContain('### Warnings');
    } finally {
      store.close();
    }
  });

  it('a check carries its rule\'s source into history and the HTML report (Kore, seed 000)', async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'lab-sources-')), 'history.db');
    const report = await runHandoff({ profile: 'kore', transport: 'tcp', dbFile, dropWaitMs: 300, topology: { headerHolds: 'placer' } });
    const store = HistoryStore.open(dbFile);
    try {
      const call = store.getCall(report.calls[0]!.callRef)!;
      const fired = call.checks.find((k) => k.name === 'onsignal-fired')!;
      expect(fired.ok).toBe(false);
      expect(fired.detail).toContain('wrong leg');
      expect(call.checks.find((k) => k.name === 'contact-id')?.source).toMatchObject({ kind: 'seed', ref: '000_d4ad4dad8823db79.txt' });
      const html = renderHtmlReport(buildReportDocument(store, { runId: report.runId }));
      expect(html).toContain('[seed 000_d4ad4dad8823db79.txt]');
    } finally {
      store.close();
    }
  });
});
