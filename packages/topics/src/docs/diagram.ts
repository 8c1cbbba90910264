/**
 * The pipeline drawn with the catalogue's topic names. Drawn by hand (a layout engine would cost
 * more than it saves); pipeline-doc.test.ts fails when a catalogue topic or a service is missing.
 */

/** The ASCII diagram at the top of docs/pipeline.md. */
export const PIPELINE_DIAGRAM = String.raw`
 HTTP callers ──► gateway ─┐
                           ├─► events.raw ──► ingest ──► events.valid ──► dedup ──► events.unique
 Kafka producers ──────────┘                    │                                       │
                                                │   stratum import ──► persons.import ──┤
                                                ▼                                       ▼
                                          events.invalid ◄── poison records   identity-resolution ◄──► PostgreSQL
                                          (quarantine)       from every stage           │            (golden records)
                                                                ┌─────────────────┬─────┴───────────┬──────────────────┐
                                                                ▼                 ▼                 ▼                  ▼
                                                         events.resolved   profiles.changes   identity.audit   consents.changes ◄── gateway
                                                                │            (compacted)         (audit)               │       (Twilio STOP)
                                                                ▼                                                      │
                                                        delivery-adapter ◄─────────────────────────────────────────────┘
                                                          │     ▲     │
                                delivery.retry.30s ◄──────┤     │     └──► delivery.outcomes
                                delivery.retry.5m  ◄──────┤     │ delivery.attempts
                                delivery.retry.1h  ◄──────┘     │
                                        │                       │
                                        ▼                       │
                                      retry ────────────────────┘
                                        │
                                        └──► delivery.dlq (replayable)
`.slice(1, -1);

/** What the diagram leaves out, said under it. */
export const DIAGRAM_NOTES = [
  'Every stage sends records it cannot process (poison records) to events.invalid.',
  'retry also writes delivery.outcomes when it gives up; operators replay delivery.dlq back into delivery.attempts.',
] as const;
