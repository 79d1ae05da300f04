using FkHarness.Migrator.Errors;

namespace FkHarness.Migrator;

/// <summary>What an <c>up</c> or <c>down</c> did: the migrations it applied or rolled back (in order), the lock waits it sat out, the locks it held, and the error that stopped it.</summary>
public sealed record MigrationRunResult
{
    public required bool Succeeded { get; init; }

    /// <summary>Migrations applied by <c>up</c>, oldest first (journal names, <c>NNN_title</c>).</summary>
    public IReadOnlyList<string> Applied { get; init; } = [];

    /// <summary>Migrations rolled back by <c>down</c>, newest first.</summary>
    public IReadOnlyList<string> RolledBack { get; init; } = [];

    public IReadOnlyList<LockWait> LockWaits { get; init; } = [];

    /// <summary>The table locks each step held (with <see cref="MigratorOptions.LockHoldSampling"/> set), in the order taken.</summary>
    public IReadOnlyList<LockHold> LockHolds { get; init; } = [];

    public MigratorError? Error { get; init; }
}
