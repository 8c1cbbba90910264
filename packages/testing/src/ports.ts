/** Ports for tests that need a server to be absent, or a port to start one on. */
import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that nothing listens on: bound once by the OS's choice, then released.
 * Connecting to it is refused (until something else happens to take it).
 */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
