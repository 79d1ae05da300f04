using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using FkHarness.Benchmarks.Infrastructure;
using FkHarness.Seeder;
using Npgsql;

namespace FkHarness.Benchmarks.Rehearsal;

/// <summary>
/// What the backup stage's time is made of: the same seeded database dumped with pg_dump -Fc at
/// its default compression (what the stage runs), at -Z 1, and uncompressed.
/// </summary>
internal static class BackupCompression
{
    public sealed record Variant(string Arguments, TimeSpan Wall, long Bytes);

    public static async Task<IReadOnlyList<Variant>> MeasureAsync(BenchServer server, double scale, TextWriter progress, CancellationToken cancellationToken)
    {
        const string database = "backup_source";
        await server.CreateDatabaseAsync(database, cancellationToken);
        var connectionString = server.UnpooledConnectionString(database);
        (await PsqlFile.RunAsync(server.Binaries, connectionString, MigrationFiles.Baseline, cancellationToken)).EnsureSucceeded("The baseline schema");
        progress.WriteLine($"Seeding a database at scale {scale} to dump…");
        var outcome = await DatabaseSeeder.SeedAsync(new SeedOptions { ConnectionString = connectionString, Scale = scale }, cancellationToken: cancellationToken);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"Seeding failed ({outcome.Status}): {outcome.Message}");
        }

        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var file = Path.Combine(Path.GetTempPath(), $"fkharness-bench-{Environment.ProcessId}.dump");
        var variants = new List<Variant>();
        foreach (var arguments in new[] { "-Fc", "-Fc -Z 1", "-Fc -Z 0" })
        {
            var times = new List<TimeSpan>();
            long bytes = 0;
            for (var i = 0; i < 3; i++)
            {
                var clock = Stopwatch.StartNew();
                var result = await Cli.Wrap(server.Binaries.PgDump)
                    .WithArguments([.. arguments.Split(' '), "-f", file])
                    .WithEnvironmentVariables(env => env
                        .Set("PGHOST", target.Host).Set("PGPORT", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                        .Set("PGUSER", target.Username).Set("PGPASSWORD", target.Password).Set("PGDATABASE", target.Database))
                    .WithValidation(CommandResultValidation.None)
                    .ExecuteBufferedAsync(cancellationToken);
                times.Add(clock.Elapsed);
                if (result.ExitCode != 0)
                {
                    throw new InvalidOperationException($"pg_dump {arguments} failed: {result.StandardError}");
                }

                bytes = new FileInfo(file).Length;
            }

            variants.Add(new Variant(arguments, Stats.Median(times), bytes));
        }

        File.Delete(file);
        return variants;
    }
}
