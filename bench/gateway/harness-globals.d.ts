/**
 * @stratum/testing's useTestStack/useTestPostgres register jest hooks. The bench calls only its
 * start functions and never runs under jest, but type-checking the package's sources needs the
 * hook names (the bench's tsconfig has no jest types).
 */
declare function beforeAll(fn: () => unknown, timeoutMs?: number): void;
declare function afterAll(fn: () => unknown, timeoutMs?: number): void;
