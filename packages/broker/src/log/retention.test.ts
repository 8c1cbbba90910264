import { segmentsToDelete, type SegmentStats } from './retention';
import { DEFAULT_LOG_CONFIG, type LogConfig } from './types';

const config = (retentionMs: number, retentionBytes: number): LogConfig => ({ ...DEFAULT_LOG_CONFIG, retentionMs, retentionBytes });
const seg = (maxTimestamp: number, size = 100): SegmentStats => ({ size, maxTimestamp });

describe('segmentsToDelete', () => {
  it('deletes the prefix of segments older than retention.ms, stopping at the first young one', () => {
    expect(segmentsToDelete([seg(1), seg(2), seg(50), seg(3)], 500, config(10, -1), 40)).toBe(2);
  });

  it('keeps everything when both limits are -1', () => {
    expect(segmentsToDelete([seg(0), seg(0)], 1e9, config(-1, -1), 1e12)).toBe(0);
  });

  it('deletes the oldest while what is left stays at or above retention.bytes', () => {
    // total 500 (400 closed + 100 active), limit 250: deleting 2 leaves 300, a third would leave 200.
    expect(segmentsToDelete([seg(0), seg(0), seg(0), seg(0)], 500, config(-1, 250), 0)).toBe(2);
    expect(segmentsToDelete([seg(0), seg(0)], 500, config(-1, 300), 0)).toBe(2);
  });

  it('applies whichever limit deletes more', () => {
    expect(segmentsToDelete([seg(0), seg(0), seg(99), seg(99)], 500, config(10, 250), 50)).toBe(2);
    expect(segmentsToDelete([seg(0), seg(0), seg(0), seg(99)], 500, config(10, 450), 50)).toBe(3);
  });
});
