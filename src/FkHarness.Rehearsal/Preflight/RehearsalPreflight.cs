using FkHarness.Provisioning;
using FkHarness.Catalog;
using FkHarness.Migrator.Scripts;
using FkHarness.Seeder;

namespace FkHarness.Rehearsal.Preflight;

/// <summary>
/// Everything about the input that can be checked before a cluster is started or a database
/// created: option ranges, the dump file, the migrations folder, the port, the connection string's
/// form, the PostgreSQL binaries. Returns every problem found, each one paragraph, none with a password.
/// </summary>
internal static class RehearsalPreflight
{
    public static async Task<IReadOnlyList<string>> CheckAsync(RehearsalOptions options, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (options.SeedsData)
        {
            var seeding = new SeedOptions { ConnectionString = "(provisioned by the rehearsal)", Scale = options.Scale, Seed = options.Seed, OrphanRate = options.OrphanRate };
            errors.AddRange(seeding.Validate());
        }

        if (options.ConnectionString is { } connectionString)
        {
            try
            {
                FkdbConnectionString.Parse(connectionString);
            }
            catch (ArgumentException e)
            {
                errors.Add(SecretRedactor.Redact(e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)));
            }
        }

        if (options.UseGivenDatabase && options.ConnectionString is null)
        {
            errors.Add($"--use-fkdb rehearses in the database {FkdbConnectionString.EnvironmentVariable} names, and it is not set.");
        }

        errors.AddRange(PortProblems(options));
        try
        {
            MigrationSet.Load(options.MigrationsDirectory);
        }
        catch (MigrationSetException e)
        {
            errors.Add(e.Message);
        }

        PostgresBinaries binaries;
        try
        {
            binaries = PostgresBinaries.Locate();
        }
        catch (ProvisioningException e)
        {
            errors.Add(e.Message);
            return errors;
        }

        if (options.FromDump is { } dump && await DumpFileCheck.CheckAsync(dump, binaries, cancellationToken) is { } problem)
        {
            errors.Add(problem);
        }

        return errors;
    }

    private static IEnumerable<string> PortProblems(RehearsalOptions options)
    {
        if (options.Port == 0)
        {
            yield break;
        }

        if (options.UsesExistingServer)
        {
            yield return "--port sets the throwaway cluster's port; with --connection-string the server's port is the one in the connection string. Leave one of them out.";
        }
        else if (options.Port is < 1 or > 65535)
        {
            yield return $"--port must be between 1 and 65535; got {options.Port}.";
        }
        else if (options.Port < 1024 && !OperatingSystem.IsWindows())
        {
            yield return $"--port {options.Port} is a privileged port, which the server (run as an unprivileged user) cannot listen on. Use a port from 1024 up, or leave --port out.";
        }
        else if (!LoopbackPort.IsFree(options.Port))
        {
            yield return $"Port {options.Port} on 127.0.0.1 is already in use. Pick another with --port, or leave it out to use a free one.";
        }
    }
}
