import fc from 'fast-check';

// A property that runs (or shrinks) for more than a minute fails instead of stalling the suite: the
// machine running CI has two cores and a 90-minute budget.
fc.configureGlobal({ interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true });
