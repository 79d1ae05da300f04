namespace FkHarness.Benchmarks.TestIsolation;

/// <summary>How long one fresh test database took, and its parts.</summary>
internal sealed record FreshDatabaseTimes(TimeSpan Total, TimeSpan Connect, TimeSpan Create, TimeSpan Schema, TimeSpan Seed);
