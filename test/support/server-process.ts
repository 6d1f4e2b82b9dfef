import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const MAIN = new URL('../../src/server/main.ts', import.meta.url).pathname;

export interface ServerProcess {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  /** Resolves with the URL the server announces once it listens; rejects if it exits first. */
  listening: Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `tsx src/server/main.ts` as an operator runs it, in its own process, configured by `env`
 * only (nothing of the test process's environment but PATH), with its output collected.
 */
export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk));
  const exited = once(child, 'exit');
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const announced = /en service sur (http:\/\/\S+)/.exec(output.stdout);
      if (announced) resolve(announced[1]!);
    });
    child.on('exit', () => reject(new Error(`main.ts exited before listening: ${output.stderr}`)));
  });
  // A test of a refused start never awaits it: that rejection is the expected outcome, not an error.
  listening.catch(() => undefined);
  return {
    child,
    output,
    listening,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
  };
}

/**
 * A command of the server's shell (`scripts/admin.ts`, `scripts/migrate.ts`) as an operator
 * runs it with npm (without npm's own output), configured by `env` only; its exit code and output.
 */
export async function runServerCommand(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL(`../../scripts/${script}`, import.meta.url).pathname, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, stdout, stderr };
}
