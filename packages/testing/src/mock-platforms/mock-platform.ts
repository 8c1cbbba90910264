/**
 * The base of every mock platform: start/stop, the recording, the fault plan and a clock. A
 * platform subclass only says how it answers a request and how it words an injected error.
 */
import { HarnessError } from '../errors';
import { FaultSchedule } from './faults';
import type { AnsweredFault, Clock } from './faults';
import { startMockServer } from './mock-server';
import type { PlatformResponse, RunningMock } from './mock-server';
import { Recording } from './recording';
import type { RecordedRequest } from './recording';

/** Options every mock platform takes. */
export interface MockPlatformOptions {
  /** Milliseconds since the epoch (default `Date.now`): time windows and `failFor` read it. */
  clock?: Clock;
}

/** A local stand-in for a marketing platform's HTTP API. */
export abstract class MockPlatform<TEvent> {
  /** What the platform accepted, refused, deduplicated, dropped, and which requests met a fault. */
  readonly recording = new Recording<TEvent>();
  /** Programme failures: `failNext`, `rateLimitNext`, `hangNext`, `delayNext`, `resetNext`, `failFor`, `recover`. */
  readonly faults: FaultSchedule;
  protected readonly clock: Clock;
  private running: RunningMock | undefined;

  protected constructor(
    /** For error messages, e.g. "Meta Conversions API mock". */
    private readonly platformName: string,
    options: MockPlatformOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.faults = new FaultSchedule(this.clock);
  }

  /** Starts listening on 127.0.0.1 (`port`, or a free one); resolves with `{ url, port, stop }`. */
  async start(options: { port?: number } = {}): Promise<RunningMock> {
    if (this.running !== undefined) throw new HarnessError('misuse', `${this.platformName} is already started at ${this.running.url}`);
    const server = await startMockServer({
      recording: this.recording as Recording<unknown>,
      faults: this.faults,
      clock: this.clock,
      handle: (request) => this.handle(request),
      faultResponse: (fault) => this.faultResponse(fault),
      ...(options.port === undefined ? {} : { port: options.port }),
    });
    const running: RunningMock = { url: server.url, port: server.port, stop: () => this.stopServer(server) };
    this.running = running;
    return running;
  }

  /** The base URL (`http://127.0.0.1:<port>`); throws before `start()`. */
  get url(): string {
    if (this.running === undefined) throw new HarnessError('misuse', `${this.platformName} is not started: call start() first`);
    return this.running.url;
  }

  /** Stops the server (same as the `stop` that `start()` returned). Idempotent. */
  async stop(): Promise<void> {
    await this.running?.stop();
  }

  /** The platform's answer to a request that met no fault. */
  protected abstract handle(request: RecordedRequest): PlatformResponse | Promise<PlatformResponse>;

  /** The platform's own body for an injected 5xx or 429 (the core adds `Retry-After`). */
  protected abstract faultResponse(fault: AnsweredFault): PlatformResponse;

  /** Work to finish before the server closes (e.g. callbacks in flight). */
  protected async beforeStop(): Promise<void> {}

  /** Records a refusal and returns the answer that carries it. */
  protected refuse(request: RecordedRequest, response: PlatformResponse, reason: string, detail: string): PlatformResponse {
    this.recording.reject({ request, status: response.status, reason, detail, response: response.body });
    return response;
  }

  private async stopServer(server: RunningMock): Promise<void> {
    await this.beforeStop();
    await server.stop();
    if (this.running?.port === server.port) this.running = undefined;
  }
}
