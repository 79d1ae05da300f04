using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using FkHarness.Rehearsal.Traffic;
using FkHarness.Catalog;

namespace FkHarness.Rehearsal.Commands;

/// <summary>
/// The <c>fkharness</c> command line: <c>rehearse</c> (also the default) and its options. Parse
/// errors get one line and exit code 2, not a page of help.
/// </summary>
internal sealed class RehearsalCommandLine
{
    private readonly Option<double> Scale = new("--scale")
    {
        Description = "Size of the seeded data: 1 = 1,000 users and about 104,000 rows; every table grows linearly (0 < scale <= 1000). Ignored with --from-dump.",
        DefaultValueFactory = _ => RehearsalOptions.DefaultScale,
        CustomParser = NumberArgument.Double("--scale", "1 or 0.2"),
        Recursive = true,
    };

    private readonly Option<int> Seed = new("--seed")
    {
        Description = "Seed of the seeder's random generator: the same seed and scale give the same database, orphans included.",
        DefaultValueFactory = _ => RehearsalOptions.DefaultSeed,
        CustomParser = NumberArgument.Integer("--seed", "1 or 42"),
        Recursive = true,
    };

    private readonly Option<double> OrphanRate = new("--orphan-rate")
    {
        Description = "Fraction of rows per relationship that get a planted orphan or legal edge case (0 to 0.5).",
        DefaultValueFactory = _ => RehearsalOptions.DefaultOrphanRate,
        CustomParser = NumberArgument.Double("--orphan-rate", "0.02"),
        Recursive = true,
    };

    private readonly Option<bool> Rollback = new("--rollback")
    {
        Description = "After verifying, roll back 026 then 025 and prove that the schema (pg_dump --schema-only, normalised) and the data (per-table checksums) are exactly what they were before up.",
        Recursive = true,
    };

    private readonly Option<bool> Keep = new("--keep")
    {
        Description = "Leave the database (and the throwaway cluster) running at the end and print host, port, database and user; the password is never printed (a throwaway cluster's goes to a 0600 file).",
        Recursive = true,
    };

    private readonly Option<string?> FromDump = new("--from-dump")
    {
        Description = "Restore this pg_dump -Fc file (a copy of staging) instead of installing the baseline and seeding: the honest answer to \"what will 025 delete on staging?\".",
        HelpName = "FILE",
        Recursive = true,
    };

    private readonly Option<string?> MigrateAs = new("--migrate-as")
    {
        Description = "Run the migrations (up and down) as this role, the way staging runs them: the migrator's sessions SET ROLE to it, and the rehearsal database is made its own. Default: the owner of public.users (with --from-dump, the dump's owner).",
        HelpName = "ROLE",
        Recursive = true,
    };

    private readonly Option<string?> Migrations = new("--migrations")
    {
        Description = "Rehearse the SQL files of this folder (the 024 audit, NNN_title.up.sql/.down.sql pairs, optionally baseline/ and FK_AUDIT_REPORT.json) instead of the built-in ones; without a baseline/ there, the built-in pre-fix schema is used.",
        HelpName = "DIR",
        Recursive = true,
    };

    private readonly Option<string?> ConnectionString = new("--connection-string")
    {
        Description = $"Rehearse on an existing PostgreSQL server instead of a throwaway cluster: a fresh database {Resources.RehearsalDatabaseName.Prefix}<run> is created there and dropped at the end (unless --keep). Default: the environment variable {FkdbConnectionString.EnvironmentVariable}.",
        HelpName = "CONNECTION_STRING",
        Recursive = true,
    };

    private readonly Option<string?> Artifacts = new("--artifacts")
    {
        Description = "Folder for this run's report.html, FK_AUDIT_REPORT.json, backup, manifest and log. Default: ./artifacts/<run id>.",
        HelpName = "DIR",
        Recursive = true,
    };

    private readonly Option<int> Port = new("--port")
    {
        Description = "Loopback port for the throwaway cluster; 0 picks a free one.",
        DefaultValueFactory = _ => 0,
        CustomParser = NumberArgument.Integer("--port", "54321"),
        Recursive = true,
    };

    private readonly Option<bool> UseGivenDatabase = new("--use-fkdb")
    {
        Description = $"Rehearse in the database {FkdbConnectionString.EnvironmentVariable} names, as it is (the AppHost's resource fkdb): nothing is created there or dropped. How the AppHost runs the rehearsal.",
        Recursive = true,
    };

    private readonly Option<int?> Traffic = new("--traffic")
    {
        Description = $"Synthetic application writers during the migrations, at RATE writes per second in all (default {TrafficOptions.DefaultRate}, at most {TrafficOptions.MaxRate}): inserts and updates in the nine tables and the four array tables, inserts and deletes of users, a few invalid on purpose. They start 4 s before migrate 025 (1 s warm-up, 3 s measured) and stop 1 s after the last migration; the report gives the longest stall, p50/p99 before and during each migration, rejections by SQLSTATE and a check that no valid write was lost. Their rows are removed before verify.",
        HelpName = "RATE",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = TrafficRate,
        Recursive = true,
    };

    private readonly Option<string?> Step = new("--step")
    {
        Description = "Run one step of the plan (baseline, seed, audit, …, report; or traffic, the writers of --traffic, until state/traffic.stop exists; or, once the rehearsal ended, one of fkdb's commands: command-rollback-NNN, command-reapply, command-audit) in the --run-folder, as the AppHost's resources do: it reads what the steps before it found from <run folder>/state/context.json, runs, and saves it back. Needs --use-fkdb.",
        HelpName = "STEP",
        Recursive = true,
    };

    private readonly Option<string?> RunFolder = new("--run-folder")
    {
        Description = "With --step: the rehearsal's folder (its artifacts, and state/ shared by its steps), made by the AppHost.",
        HelpName = "DIR",
        Recursive = true,
    };

    private readonly Option<string?> RunId = new("--run-id")
    {
        Description = "With --step: the rehearsal's run id, given by the AppHost to the first step.",
        HelpName = "ID",
        Recursive = true,
        Hidden = true,
    };

    public RootCommand Create(Func<RehearsalOptions, CancellationToken, Task<int>> rehearse)
    {
        var root = new RootCommand(
            "Rehearses the FK fix (migrations 024-026) on a throwaway PostgreSQL database: provision, baseline (or restore a dump), " +
            "seed, audit (024), back up (pg_dump -Fc), migrate 025 and 026, verify, optionally roll back with proof, report, tear down." +
            Environment.NewLine + Environment.NewLine +
            $"Exit codes: {ExitCodes.Succeeded} the rehearsal succeeded; {ExitCodes.Failed} it ran and something failed (a migration, a verification check, the rollback proof); " +
            $"{ExitCodes.InvalidInput} bad input or environment (an option, a missing or corrupt dump, an unreachable server, a busy port, missing PostgreSQL binaries); " +
            $"{ExitCodes.Cancelled} stopped by Ctrl+C or SIGTERM, after cleaning up.");
        var rehearseCommand = new Command("rehearse", "Run a full rehearsal (the default command).");
        foreach (var option in new Option[] { Scale, Seed, OrphanRate, Rollback, Keep, FromDump, MigrateAs, Migrations, ConnectionString, Artifacts, Port, UseGivenDatabase, Traffic, Step, RunFolder, RunId })
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(rehearseCommand);
        root.SetAction((parse, ct) => rehearse(Map(parse), ct));
        rehearseCommand.SetAction((parse, ct) => rehearse(Map(parse), ct));
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, Func<RehearsalOptions, CancellationToken, Task<int>> rehearse, CancellationToken cancellationToken)
    {
        var parse = new RehearsalCommandLine().Create(rehearse).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"fkharness: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'fkharness --help' to see the options.");
            return ExitCodes.InvalidInput;
        }

        // Ctrl+C is handled by TerminationSignal, which lets the pipeline clean up however long that takes.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }, cancellationToken);
    }

    private RehearsalOptions Map(ParseResult parse) => new()
    {
        Scale = parse.GetValue(Scale),
        Seed = parse.GetValue(Seed),
        OrphanRate = parse.GetValue(OrphanRate),
        Rollback = parse.GetValue(Rollback),
        Keep = parse.GetValue(Keep),
        FromDump = parse.GetValue(FromDump),
        MigrateAs = parse.GetValue(MigrateAs),
        MigrationsDirectory = parse.GetValue(Migrations),
        ConnectionString = FkdbConnectionString.Resolve(parse.GetValue(ConnectionString)),
        ArtifactsDirectory = parse.GetValue(Artifacts),
        Port = parse.GetValue(Port),
        UseGivenDatabase = parse.GetValue(UseGivenDatabase),
        Traffic = parse.GetValue(Traffic) is { } rate ? new TrafficOptions { Rate = rate } : null,
        Step = parse.GetValue(Step) is { } step ? new StepRequest(step, parse.GetValue(RunFolder), parse.GetValue(RunId)) : null,
    };

    /// <summary>--traffic alone: the default rate; --traffic N: N, in range.</summary>
    private static int? TrafficRate(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return TrafficOptions.DefaultRate;
        }

        var text = result.Tokens[^1].Value;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var rate))
        {
            result.AddError($"--traffic takes the writers' total rate in writes per second, a whole number such as {TrafficOptions.DefaultRate}; got '{text}'.");
            return null;
        }

        if (TrafficOptions.RateProblem(rate) is { } problem)
        {
            result.AddError(problem);
            return null;
        }

        return rate;
    }
}
