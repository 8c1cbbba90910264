/** Foreground commands stop cleanly on SIGTERM/SIGINT: `stop` runs once, then the process exits. */
export function stopOnSignal(name: string, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stop()
      .then(() => {
        process.stderr.write(`${name} stopped cleanly on ${signal}\n`);
        process.exit(0);
      })
      .catch((err: unknown) => {
        process.stderr.write(`${name}: shutdown failed: ${String(err)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
