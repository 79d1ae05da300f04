namespace FkHarness.Benchmarks.TriggerCost;

internal enum InsertMethod
{
    /// <summary>One binary COPY of all the rows.</summary>
    Copy,

    /// <summary>INSERT … VALUES of many rows per statement.</summary>
    MultiRowInsert,

    /// <summary>One row per INSERT, autocommit, from concurrent connections.</summary>
    SingleRow,
}
