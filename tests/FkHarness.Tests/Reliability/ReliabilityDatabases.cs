using System.Globalization;
using FkHarness.Migrator;
using FkHarness.Seeder;
using FkHarness.Seeder.Manifest;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// Bigger databases than the other tests use, so that 025 runs for seconds and a kill can land in
/// every phase: the baseline (installed by the migrator) seeded at <see cref="Scale"/>, and the
/// same with 025 and 026 applied. Templates built once per run, cloned per test.
/// </summary>
internal static class ReliabilityDatabases
{
    /// <summary>
    /// 3 ≈ 210,000 rows in 025's nine tables (310,000 in all), 025 running 1.5–3 s on two busy
    /// cores; the soak run uses 12 (≈ 840,000 rows in the nine).
    /// </summary>
    public static double Scale { get; } = Soak.Pick(3.0, 12.0);

    private static readonly string Suffix = Scale.ToString("0", CultureInfo.InvariantCulture);
    private static readonly string SeededName = "tpl_rel_seeded_" + Suffix;
    private static readonly string MigratedName = "tpl_rel_migrated_" + Suffix;
    private static OrphanManifest? manifest;
    private static Lazy<Task<Reference>>? reference;

    /// <summary>What an uninterrupted run leaves, computed once per test run (in-process, the same code the CLI runs).</summary>
    internal sealed record Reference(IReadOnlyDictionary<string, string> SeededRows, EndState FullyUp, long Quarantined, EndState FullyDown);

    public static SeedOptions OptionsFor(string connectionString) => new()
    {
        ConnectionString = connectionString,
        Scale = Scale,
        Seed = 20251107,
        OrphanRate = 0.05,
    };

    /// <summary>A clone of the seeded baseline, and the manifest of what the seeder planted.</summary>
    public static async Task<(TestDatabase Database, OrphanManifest Manifest)> SeededAsync(PostgresFixture fixture)
    {
        var database = await fixture.CreateDatabaseAsync(SeededName, async connectionString =>
        {
            var baseline = await new BaselineInstaller().InstallAsync(connectionString);
            Assert.True(baseline.Succeeded, "baseline: " + baseline.Error?.Message);
            var outcome = await DatabaseSeeder.SeedAsync(OptionsFor(connectionString));
            manifest = outcome.Result?.Manifest
                ?? throw new InvalidOperationException($"Seeding the reliability template failed ({outcome.Status}): {outcome.Message}");
        });
        return (database, manifest!);
    }

    /// <summary>A clone of the seeded baseline with 025 and 026 applied.</summary>
    public static async Task<TestDatabase> MigratedAsync(PostgresFixture fixture)
    {
        await (await SeededAsync(fixture)).Database.DisposeAsync();
        return await fixture.CreateDatabaseAsync(MigratedName, async connectionString =>
        {
            await fixture.ExecuteAdminAsync($"DROP DATABASE \"{MigratedName}\"; CREATE DATABASE \"{MigratedName}\" TEMPLATE \"{SeededName}\"");
            var up = await new UpgradeRunner().UpAsync(connectionString);
            Assert.True(up.Succeeded, "up: " + up.Error?.Message);
        });
    }

    /// <summary>
    /// The seeded rows of 025's tables, the end state of an uninterrupted up on a seeded clone (and
    /// how many rows it quarantined), and the end state of an uninterrupted down after it.
    /// </summary>
    public static Task<Reference> ReferenceAsync(PostgresFixture fixture) =>
        LazyInitializer.EnsureInitialized(ref reference, () => new Lazy<Task<Reference>>(() => BuildReferenceAsync(fixture))).Value;

    private static async Task<Reference> BuildReferenceAsync(PostgresFixture fixture)
    {
        await using var db = (await SeededAsync(fixture)).Database;
        var rows = await RowConservation.BeforeAsync(db.ConnectionString);
        await FixMigrations.UpAsync(db);
        var up = await EndState.TakeAsync(db.ConnectionString);
        var quarantined = await db.ScalarAsync<long>("SELECT count(*) FROM fk_fix.quarantine");
        await FixMigrations.DownAsync(db);
        return new Reference(rows, up, quarantined, await EndState.TakeAsync(db.ConnectionString));
    }
}
