import { createLogger, createMetricsRegistry } from '@stratum/observability';
import { inMemoryDirectory, sourceSettings } from '@stratum/tenancy';
import { createGatewayApp } from './src/app.ts';
import { createKafkaPublisher } from './src/publish/index.ts';
import { createMemoryRateLimiter } from './src/rate-limit/index.ts';
import { startGatewayServer } from './src/server.ts';
import { monitorEventLoopDelay, performance as perf } from 'node:perf_hooks';

const logger = createLogger({ service: 'gw', level: 'warn' });
let sends = 0, records = 0, sendMs = 0;
const publisher = createKafkaPublisher({ kafka: { brokers: [process.env.BROKER!], clientId: 'gw' }, registryUrl: process.env.REGISTRY!, topic: 'raw', subject: 'events.raw-value', logger,
  observer: { onSend: (s) => { sends++; records += s.records; sendMs += s.durationSeconds * 1000; } } });
await publisher.whenReady();
const directory = inMemoryDirectory([{ settings: sourceSettings({ tenantId: 't1', sourceId: 's1', limits: { rateLimitPerSecond: 0 } } as never), writeKeys: ['wk_test'] }]);
const app = createGatewayApp({ directory, publisher, rateLimiter: createMemoryRateLimiter(), logger, metrics: createMetricsRegistry({ service: 'gw', version: '0' }), config: { maxBodyBytes: 512000 } });
const server = await startGatewayServer(app, { port: 18080, host: '127.0.0.1', logger, shutdownTimeoutMs: 1000 });
const h = monitorEventLoopDelay({ resolution: 1 }); h.enable();
let elu = perf.eventLoopUtilization();
setInterval(() => {
  const e = perf.eventLoopUtilization(elu); elu = perf.eventLoopUtilization();
  console.log(`sends ${sends} records/send ${(records / sends).toFixed(1)} ms/send ${(sendMs / sends).toFixed(2)} ELU ${e.utilization.toFixed(2)} loopdelay p99 ${(h.percentile(99) / 1e6).toFixed(1)}ms`);
  sends = records = sendMs = 0; h.reset();
}, 2000).unref();
process.on('SIGTERM', async () => { await server.stop(); await publisher.close(); process.exit(0); });
