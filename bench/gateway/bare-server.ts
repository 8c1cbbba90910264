/**
 * The baseline for `pnpm bench gateway`: a bare node:http server doing the least any ingestion
 * endpoint must do — read the body, JSON.parse it, answer 200 — with no auth, checks or Kafka.
 * Run as its own process (one core at most, like the gateway); prints `listening on <port>`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const OK = Buffer.from('{"success":true}');

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': OK.length });
      res.end(OK);
    } catch {
      res.writeHead(400).end();
    }
  });
});

server.listen(0, '127.0.0.1', () => process.stdout.write(`listening on ${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
