/**
 * Escaping for the text formats of the reports: XML/HTML (the five predefined entities, and the
 * control characters XML 1.0 forbids dropped) and Markdown table cells.
 */

/** Text safe inside an XML or HTML element or a quoted attribute (XML 1.0 §2.2 characters only). */
export function escapeXml(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** Text safe in one cell of a GitHub-flavoured Markdown table: pipes escaped, line breaks as `<br>`, HTML-ish characters escaped. */
export function escapeMarkdownCell(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'))
    .replace(/`/g, '\\`')
    .replace(/\r?\n/g, '<br>');
}
