namespace FkHarness.Benchmarks.TriggerCost;

/// <summary>One timed run: wall-clock time, and CPU time of the server backends that did the work.</summary>
internal readonly record struct Measurement(TimeSpan Wall, TimeSpan ServerCpu);
