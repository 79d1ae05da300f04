using FkHarness.Migrator.Errors;

namespace FkHarness.Migrator;

/// <summary>What <c>baseline</c> did; <see cref="ExistingObjects"/> names what made it refuse a non-empty database.</summary>
public sealed record BaselineResult
{
    public required bool Succeeded { get; init; }

    public IReadOnlyList<string> ExistingObjects { get; init; } = [];

    public MigratorError? Error { get; init; }
}
