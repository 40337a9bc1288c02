import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Runs the Node entry (`src/entry/node.ts`, as `npm start` does) in a child process with only the
 * given environment (plus PATH and HOME), stdout and stderr piped. Used by tests and bench/.
 * `obeyFilePermissions`: as root, the child runs without the capabilities that bypass file permissions
 * (util-linux `setpriv`), so a read-only file is read-only for it, as for any user; the checkout stays
 * readable, whatever folder it was cloned into (another uid such as `nobody` may not reach it).
 */
export function spawnEntry(
  env: Record<string, string>,
  options: { obeyFilePermissions?: boolean } = {},
): ChildProcess {
  const node = [process.execPath, '--import', 'tsx', 'src/entry/node.ts'];
  const command =
    options.obeyFilePermissions && process.getuid?.() === 0
      ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--', ...node]
      : node;
  return spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
