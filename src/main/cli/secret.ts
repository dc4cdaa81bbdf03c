/**
 * `lab secret <set|delete|status>`: keeps SIP passwords (and any other secret of the app) in the OS
 * keychain. `set` reads the secret from standard input (without echo on a terminal), so it never
 * appears in the shell history, the process list, or any output.
 */
import { deleteSecret, getSecret, keychainAvailable, setSecret } from '../secrets/keychain';
import { CliUsageError } from './args';

/** Usage lines of the command, for the CLI's help. */
export const SECRET_USAGE = `  secret set <account>      stores a secret read from standard input (no echo on a terminal)
  secret delete <account>   removes it
  secret status [account]…  says whether the keychain works, and which accounts have a secret
      Accounts of SIP passwords are SIP URIs: sip:<user>@<trunk host>, e.g. sip:alice@trunk.example.`;

/**
 * Runs `lab secret …`.
 * @returns the exit status: 0 done, 1 nothing to delete, 2 the keychain is unavailable.
 * @throws {@link CliUsageError} on a usage mistake; KeychainError when the keychain fails.
 */
export async function secretCommand(args: string[], say: (line: string) => void = console.log): Promise<number> {
  const [action, ...rest] = args;
  switch (action) {
    case 'set': {
      const account = oneAccount(rest);
      const secret = await readSecret(`secret for ${account}: `);
      if (secret === '') throw new CliUsageError('no secret on standard input: nothing stored');
      await setSecret(account, secret);
      say(`stored the secret of ${account} in the keychain`);
      return 0;
    }
    case 'delete': {
      const account = oneAccount(rest);
      const deleted = await deleteSecret(account);
      say(deleted ? `deleted the secret of ${account}` : `no secret stored for ${account}`);
      return deleted ? 0 : 1;
    }
    case 'status': {
      const status = await keychainAvailable();
      if (!status.available) {
        say(`keychain: unavailable: ${status.message}`);
        return 2;
      }
      say(`keychain: available (${status.backend})`);
      for (const account of rest) say(`${account}: ${(await getSecret(account)) === null ? 'not stored' : 'stored'}`);
      return 0;
    }
    default:
      throw new CliUsageError(`unknown "secret ${action ?? ''}": use secret set|delete|status`);
  }
}

function oneAccount(rest: string[]): string {
  if (rest.length !== 1 || rest[0]!.trim() === '') throw new CliUsageError('give exactly one account, e.g. sip:alice@trunk.example');
  return rest[0]!.trim();
}

/** Reads the secret: the whole of a piped standard input (one trailing newline dropped), or a line typed without echo. */
async function readSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (b: Buffer): void => {
        for (const ch of b.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            return resolve(typed);
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            return reject(new CliUsageError('interrupted: nothing stored'));
          }
          if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
          else typed += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}
