/** The TCP listener: accepts clients, hands each to a Connection, and shuts down in order. */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { BrokerState } from '../broker-state';
import { DEFAULT_BROKER_CONFIG, type BrokerConfig } from '../config';
import { buildApiTable } from '../apis';
import { Connection } from './connection';
import { jsonLogger, type BrokerLogger } from '../logger';

export interface StartBrokerOptions extends Partial<Omit<BrokerConfig, 'dataDir' | 'logger'>> {
  dataDir: string;
  logger?: BrokerLogger;
}

export interface RunningBroker {
  /** "host:port" for client bootstrap lists. */
  readonly bootstrap: string;
  readonly port: number;
  /** Internal state, for tests and tools that inspect the broker. */
  readonly state: BrokerState;
  /** Stops accepting, closes every connection, flushes and closes the logs. */
  stop(): Promise<void>;
}

/** Starts a broker on `port` (0 = any free port) over `dataDir`, recovering what is there. */
export async function startBroker(options: StartBrokerOptions): Promise<RunningBroker> {
  const config: BrokerConfig = { ...DEFAULT_BROKER_CONFIG, logger: jsonLogger('warn'), ...options } as BrokerConfig;
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Metadata must advertise the real port when 0 was asked for.
  config.port = (server.address() as AddressInfo).port;
  let state: BrokerState;
  try {
    state = BrokerState.open(config);
  } catch (err) {
    server.close();
    throw err;
  }
  const apis = buildApiTable();
  const connections = new Set<Connection>();
  const sockets = new Set<Socket>();
  let nextId = 1;
  server.on('connection', (socket) => {
    const conn = new Connection(socket, state, apis, nextId++);
    connections.add(conn);
    sockets.add(socket);
    socket.on('close', () => {
      connections.delete(conn);
      sockets.delete(socket);
    });
  });
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of connections) c.close();
      await closed;
      await state.flusher.flushed();
      state.close();
    })());
  return { bootstrap: `${config.advertisedHost}:${config.port}`, port: config.port, state, stop };
}
