import { StreamTextTracker } from '../../../client/stream-text-tracker';

// Readings of a run's released text become deltas of only the new characters, and a reset when a
// retried attempt or a fallback model writes something else.

describe('stream text tracker', () => {
  it('sends only new characters, and nothing for a reading it has already shown', () => {
    const tracker = new StreamTextTracker();
    expect(tracker.observe(undefined)).toEqual([]);
    expect(tracker.observe({ activityId: '1', released: '' })).toEqual([]);
    expect(tracker.observe({ activityId: '1', released: 'The refund ' })).toEqual([
      { type: 'delta', text: 'The refund ' },
    ]);
    expect(tracker.observe({ activityId: '1', released: 'The refund ' })).toEqual([]);
    expect(tracker.observe({ activityId: '1', released: 'The refund arrives' })).toEqual([
      { type: 'delta', text: 'arrives' },
    ]);
    expect(tracker.text).toBe('The refund arrives');
  });

  it('waits while a restarted attempt catches up, and resets when it writes something else', () => {
    const tracker = new StreamTextTracker();
    tracker.observe({ activityId: '1', released: 'The refund arrives' });
    // The retry starts again from nothing, then repeats what was shown: no events.
    expect(tracker.observe({ activityId: '1', released: '' })).toEqual([]);
    expect(tracker.observe({ activityId: '1', released: 'The refund' })).toEqual([]);
    expect(tracker.observe({ activityId: '1', released: 'The refund takes' })).toEqual([
      { type: 'reset', reason: 'retry' }, { type: 'delta', text: 'The refund takes' },
    ]);
  });

  it('says a fallback when another model call writes something else', () => {
    const tracker = new StreamTextTracker();
    tracker.observe({ activityId: '1', released: 'Partial answer from one model' });
    expect(tracker.observe({ activityId: '2', released: 'Another' })).toEqual([
      { type: 'reset', reason: 'fallback' }, { type: 'delta', text: 'Another' },
    ]);
    expect(tracker.text).toBe('Another');
  });
});
