namespace FkHarness.Benchmarks.TriggerCost;

/// <summary>What checks a DELETE of users runs in the referenced-side measurement.</summary>
internal enum GuardVariant
{
    /// <summary>No check at all: 026's delete guard disabled, no native FK to users.id.</summary>
    None,

    /// <summary>026's statement-level guard (GIN lookups in the three user-array tables).</summary>
    ArrayGuard,

    /// <summary>For scale: a native FK to users.id from a 100k-row table with a btree index on it.</summary>
    NativeForeignKey,
}
