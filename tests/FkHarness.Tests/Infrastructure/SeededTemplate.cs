using FkHarness.Seeder;
using FkHarness.Seeder.Manifest;

namespace FkHarness.Tests.Infrastructure;

/// <summary>
/// The baseline filled by the seeder, built once per test run and cloned per test, with the
/// manifest of what was planted. Seeding is deterministic, so the manifest of the template is the
/// manifest of every clone.
/// </summary>
public static class SeededTemplate
{
    public const string Name = "tpl_seeded";

    /// <summary>~10,000 rows, every orphan kind in every relationship, seeded in about a second.</summary>
    public static SeedOptions OptionsFor(string connectionString) => new()
    {
        ConnectionString = connectionString,
        Scale = 0.1,
        Seed = 20251101,
        OrphanRate = 0.05,
    };

    private static OrphanManifest? manifest;

    /// <summary>The manifest of the template; valid once <see cref="CreateAsync"/> has run.</summary>
    public static OrphanManifest Manifest => manifest ?? throw new InvalidOperationException("The seeded template has not been built yet.");

    public static async Task<(TestDatabase Database, OrphanManifest Manifest)> CreateAsync(PostgresFixture fixture)
    {
        var database = await fixture.CreateDatabaseAsync(Name, async connectionString =>
        {
            var baseline = await Psql.RunFileAsync(connectionString, MigrationFiles.Baseline);
            if (baseline.ExitCode != 0)
            {
                throw new InvalidOperationException("Baseline failed: " + baseline.StandardError);
            }

            var outcome = await DatabaseSeeder.SeedAsync(OptionsFor(connectionString));
            manifest = outcome.Result?.Manifest
                ?? throw new InvalidOperationException($"Seeding the template failed ({outcome.Status}): {outcome.Message}");
        });
        return (database, Manifest);
    }
}
