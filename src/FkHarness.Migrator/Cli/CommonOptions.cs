using System.CommandLine;
using FkHarness.Catalog;

namespace FkHarness.Migrator.Cli;

/// <summary>The options every command takes.</summary>
internal sealed class CommonOptions
{
    public Option<string?> ConnectionString { get; } = new("--connection-string")
    {
        Description = $"PostgreSQL connection string (Host=...;Port=...;Database=...;Username=...;Password=...). Default: the {FkdbConnectionString.EnvironmentVariable} environment variable.",
    };

    public Option<string?> Migrations { get; } = new("--migrations")
    {
        Description = "Folder of migrations (NNN_title.up.sql/.down.sql, the audit, baseline/). Default: the migrations folder shipped beside the migrator.",
    };

    public Option<int> LockTimeoutRetries { get; } = new("--lock-timeout-retries", "--lock-retries")
    {
        Description = "How many times a script that hit its lock_timeout (SQLSTATE 55P03) is rerun, waiting 1 s, 2 s, 4 s, ... between tries.",
        DefaultValueFactory = _ => new MigratorOptions().LockTimeoutRetries,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log more, DbUp's own messages included.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(ConnectionString);
        command.Options.Add(Migrations);
        command.Options.Add(LockTimeoutRetries);
        command.Options.Add(Verbose);
    }

    public MigratorOptions ToMigratorOptions(ParseResult parseResult) => new()
    {
        MigrationsDirectory = parseResult.GetValue(Migrations),
        LockTimeoutRetries = Math.Max(0, parseResult.GetValue(LockTimeoutRetries)),
    };
}
