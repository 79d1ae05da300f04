using System.Diagnostics;
using FkHarness.Catalog;
using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Loading;
using FkHarness.Seeder.Progress;
using FkHarness.Seeder.Safety;
using FkHarness.Seeder.Tables;
using Npgsql;

namespace FkHarness.Seeder;

/// <summary>
/// Fills a rehearsal database with realistic data and the catalog's deliberate orphans, in one
/// transaction: either everything is committed (and the manifest written), or nothing changed.
/// </summary>
public static class DatabaseSeeder
{
    public static async Task<SeedOutcome> SeedAsync(SeedOptions options, ISeedProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            return SeedOutcome.Invalid(string.Join(Environment.NewLine, errors));
        }

        NpgsqlConnectionStringBuilder connectionString;
        try
        {
            connectionString = FkdbConnectionString.Parse(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            var message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            return SeedOutcome.Invalid(SecretRedactor.Redact(message));
        }

        // No pooling: a test fixture clones the seeded database as a template right after, and
        // CREATE DATABASE … TEMPLATE fails while a pooled idle connection is still attached.
        connectionString.Pooling = false;
        try
        {
            return await LoadAsync(options, connectionString.ConnectionString, progress ?? NullSeedProgress.Instance, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Before the commit (writing the manifest; the move after the commit is handled in LoadAsync): rolled back.
            return SeedOutcome.Invalid(SecretRedactor.Redact(
                $"Could not write the manifest to {Path.GetFullPath(options.ManifestPath ?? ".")}: {e.Message} Nothing was written to the database; pass --manifest with a file path that can be written."));
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            var where = FkdbConnectionString.Describe(options.ConnectionString);
            var detail = e is PostgresException { Detail: { Length: > 0 } d } ? $" ({d})" : "";
            return SeedOutcome.Failed(SecretRedactor.Redact(
                $"Seeding {where} failed, nothing was written: {e.Message}{detail}"));
        }
    }

    private static async Task<SeedOutcome> LoadAsync(SeedOptions options, string connectionString, ISeedProgress progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var catalog = ForeignKeyCatalog.LoadEmbedded();
        var context = new SeedContext(options, catalog);
        var tables = SeedTables.Create(context);
        if (context.UnplantedFindings.FirstOrDefault() is { } uncovered)
        {
            throw new InvalidOperationException($"The FK catalog lists {uncovered.Relationship}, which no table generator plants.");
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var verdict = await new SeedTargetInspector(connection, transaction).InspectAsync(tables, options.Force, cancellationToken);
        if (!verdict.MaySeed)
        {
            var target = FkdbConnectionString.Describe(options.ConnectionString);
            return verdict.SchemaMismatch
                ? SeedOutcome.Failed($"Cannot seed {target}: {verdict.Refusal}")
                : SeedOutcome.Refused($"Refusing to seed {target}: {verdict.Refusal}");
        }

        var finisher = new LoadFinisher(connection, transaction);
        if (verdict.TablesWithData.Count > 0)
        {
            progress.StepStarted("Removing existing data (--force)");
            await finisher.TruncateAsync(tables, cancellationToken);
        }

        var loads = await new CopyPipeline(connection, progress, options.OverlapGeneration).RunAsync(tables, context.Plan.ExpectedRows, cancellationToken);
        progress.StepStarted("Advancing identity sequences");
        await finisher.AdvanceIdentitiesAsync(tables, cancellationToken);
        progress.StepStarted("Analyzing tables");
        await finisher.AnalyzeAsync(tables, cancellationToken);
        if (verdict.HasMarker)
        {
            await finisher.MarkSeededAsync(cancellationToken);
        }

        var manifest = context.Recorder.Build(catalog, options, loads.ToDictionary(l => l.Table, l => l.Rows));
        await using var manifestFile = await ManifestFile.PrepareAsync(options.ManifestPath, manifest, cancellationToken);
        progress.StepStarted("Committing");
        await transaction.CommitAsync(cancellationToken);
        try
        {
            manifestFile.Publish();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SeedOutcome.Failed($"The database was seeded and committed, but the manifest could not be moved into place at {options.ManifestPath}: {e.Message}");
        }

        var result = new SeedResult(manifest, loads, clock.Elapsed);
        progress.Completed(result);
        return SeedOutcome.Seeded(result);
    }
}
