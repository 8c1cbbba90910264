/** Runs src/main.ts as a real child process (tsx), as a deployment would, against a test stack. */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { spawnTsProcess, waitFor } from '@stratum/testing';

const main = join(__dirname, '..', 'src', 'main.ts');

export interface GatewayProcess {
  readonly child: ChildProcess;
  /** Exit code (null when killed by a signal) once the process is gone. */
  readonly exit: Promise<number | null>;
  /** The base URL, from the "gateway listening" log line. */
  url(): string;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the gateway with `env` and resolves once it listens and /readyz says ready. */
export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const p = spawnTsProcess(main, { KAFKA_CLIENT_ID: 'gateway-test', SERVICE_NAME: 'gateway', LOG_LEVEL: 'info', GATEWAY_PORT: '0', GATEWAY_HOST: '127.0.0.1', ...env });
  const { child, exit } = p;
  const url = () => /"url":"(http:\/\/[^"]+)"/.exec(p.stdout())?.[1] ?? null;
  const gateway: GatewayProcess = {
    ...p,
    url: () => url() ?? '',
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exit;
    },
  };
  try {
    await waitFor(() => url() !== null || child.exitCode !== null, { timeoutMs: 30_000, what: 'the gateway to listen' });
    if (child.exitCode !== null) throw new Error(`gateway exited ${child.exitCode}: ${p.stderr()}${p.stdout()}`);
    await waitFor(async () => (await fetch(`${url()}/readyz`)).status === 200, { timeoutMs: 30_000, what: 'the gateway to be ready' });
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\nstdout: ${p.stdout().slice(-2000)}\nstderr: ${p.stderr().slice(-2000)}`);
  }
  return gateway;
}
