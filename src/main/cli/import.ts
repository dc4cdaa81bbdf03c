/**
 * `lab import <file.pcap|.pcapng> --profile <name> [--db FILE] [--json FILE]`: rebuilds the calls of
 * a capture, verifies each INVITE's contact id, and keeps them in history as an `import` run.
 */
import { formatImportSummary, type ImportSummary } from '../import/import-capture';
import { defaultDbFile } from '../paths';
import { runHeadless } from '../runtime/headless';
import { CliUsageError, emitResult, parseCommandArgs } from './args';

/** Usage lines of the command, for the CLI's help. */
export const IMPORT_USAGE = `  import <file.pcap|file.pcapng> --profile <name> [--db FILE] [--json FILE]
      Rebuilds the calls of a capture (SIP over UDP and TCP, IPv4/IPv6, Ethernet or Linux cooked
      capture as "tcpdump -i any" writes), verifies the contact id of each INVITE under the profile,
      and keeps them in history as a run of kind "import" (report and replay them like any call).
      Exit status 0 when every call's contact id is ok, 1 when one is not or none was found.`;

/**
 * Runs `lab import`.
 * @returns 0 when every imported call's verdict is ok, 1 otherwise.
 * @throws CliUsageError on a usage mistake or an unreadable file.
 */
export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { profile: { type: 'string' }, db: { type: 'string' }, json: { type: 'string' } }, true);
  if (positionals.length !== 1) throw new CliUsageError('give one capture file: lab import <file.pcap|file.pcapng> --profile <name>');
  if (!values.profile) throw new CliUsageError('--profile is required (the profile each INVITE is verified under)');
  let summary: ImportSummary;
  try {
    summary = await runHeadless<ImportSummary & { kind: string }>('import', { file: positionals[0]!, profile: values.profile }, { dbFile: values.db ?? defaultDbFile() });
  } catch (e) {
    throw new CliUsageError((e as Error).message);
  }
  return emitResult(summary, () => formatImportSummary(summary), values.json);
}
