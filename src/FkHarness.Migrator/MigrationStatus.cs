using FkHarness.Migrator.Errors;

namespace FkHarness.Migrator;

/// <summary>Every migration of the folder (and any applied one the folder lacks), applied or pending.</summary>
public sealed record MigrationStatus
{
    public required bool Succeeded { get; init; }

    public IReadOnlyList<MigrationState> Migrations { get; init; } = [];

    public MigratorError? Error { get; init; }

    public bool HasDrift => Migrations.Any(m => m.Drifted);

    public IEnumerable<MigrationState> Pending => Migrations.Where(m => !m.Applied);
}
