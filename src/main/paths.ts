/**
 * Where the app keeps its data when not told otherwise: `LAB_DATA_DIR`, else the platform's
 * per-user data folder (XDG_DATA_HOME or ~/.local/share on Linux, ~/Library/Application Support on
 * macOS, %APPDATA% on Windows), in `cxone-sip-lab/`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The data folder (not created here). */
export function dataDir(): string {
  if (process.env.LAB_DATA_DIR) return process.env.LAB_DATA_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'cxone-sip-lab');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'cxone-sip-lab');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'cxone-sip-lab');
}

/** The default history database file. */
export function defaultDbFile(): string {
  return join(dataDir(), 'history.db');
}
