using System.CommandLine;
using System.Globalization;
using FkHarness.Benchmarks.LiveMigration;
using FkHarness.Benchmarks.Rehearsal;
using FkHarness.Benchmarks.Reporting;
using FkHarness.Benchmarks.TestIsolation;
using FkHarness.Benchmarks.TriggerCost;

namespace FkHarness.Benchmarks.Commands;

/// <summary>The scenario subcommands of issue 6 that this project measures besides seeding throughput.</summary>
internal static class ScenarioCommands
{
    public const string Invocation = "dotnet run -c Release --project bench/FkHarness.Benchmarks --";

    public static IEnumerable<Command> Create(IReadOnlyList<string> args)
    {
        yield return LiveMigration(args);
        yield return TriggerCost(args);
        yield return TestIsolation(args);
        yield return Rehearsal(args);
    }

    private static Command Rehearsal(IReadOnlyList<string> args)
    {
        var defaults = new RehearsalBenchOptions();
        var repetitions = new Option<int>("--repetitions") { Description = "Rehearsals per scale; medians are reported.", DefaultValueFactory = _ => defaults.Repetitions };
        var scales = new Option<double[]>("--scale") { Description = "The AppHost scales to rehearse at (repeat the option).", DefaultValueFactory = _ => [.. defaults.Scales], AllowMultipleArgumentsPerToken = true };
        var rounds = new Option<int>("--comparison-repetitions") { Description = "Rounds of the Aspire/in-process comparison at the default scale; medians are reported.", DefaultValueFactory = _ => defaults.ComparisonRepetitions };
        var (doc, noDoc) = DocumentOptions();
        var command = new Command(RehearsalScenario.Key, "Scenario 5: the full rehearsal under Aspire (local, container, dashboard) against the in-process pipeline it replaced, where the start-up time goes; time per stage at the default scale and 10x; launch cost; the backup stage's work.")
        {
            repetitions, scales, rounds, doc, noDoc,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var options = defaults with { Repetitions = parsed.GetValue(repetitions), Scales = parsed.GetValue(scales)!, ComparisonRepetitions = parsed.GetValue(rounds) };
            var root = RepositoryRoot() ?? throw new InvalidOperationException("Run the benchmark from inside the repository (it starts the AppHost project).");
            var report = await new RehearsalScenario(options, Console.Error).RunAsync(CommandLine(args), root, cancellationToken);
            return await ReportPublisher.PublishAsync(report, parsed.GetValue(doc), !parsed.GetValue(noDoc), cancellationToken);
        });
        return command;
    }

    private static string? RepositoryRoot() =>
        BenchmarksDocument.Find(Environment.CurrentDirectory) is { } found ? Path.GetDirectoryName(Path.GetDirectoryName(found.Path)) : null;

    private static Command TestIsolation(IReadOnlyList<string> args)
    {
        var defaults = new TestIsolationOptions();
        var repetitions = new Option<int>("--repetitions") { Description = "Fresh databases made each way; medians are reported.", DefaultValueFactory = _ => defaults.Repetitions };
        var dotnetTest = new Option<bool>("--dotnet-test") { Description = "Also build and run the whole test suite once, and time it." };
        var (doc, noDoc) = DocumentOptions();
        var command = new Command(TestIsolationScenario.Key, "Scenario 4: a fresh test database by template clone vs by building it; optionally the whole suite's time.")
        {
            repetitions, dotnetTest, doc, noDoc,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var options = defaults with { Repetitions = parsed.GetValue(repetitions), DotnetTest = parsed.GetValue(dotnetTest) };
            var root = RepositoryRoot();
            var report = await new TestIsolationScenario(options, Console.Error).RunAsync(CommandLine(args), root, cancellationToken);
            return await ReportPublisher.PublishAsync(report, parsed.GetValue(doc), !parsed.GetValue(noDoc), cancellationToken);
        });
        return command;
    }

    private static Command TriggerCost(IReadOnlyList<string> args)
    {
        var defaults = new TriggerCostOptions();
        var rows = new Option<int>("--rows") { Description = "Rows per bulk run.", DefaultValueFactory = _ => defaults.BulkRows };
        var singleRows = new Option<int>("--single-rows") { Description = "Rows per single-row run (all clients together).", DefaultValueFactory = _ => defaults.SingleRows };
        var clients = new Option<int>("--clients") { Description = "Concurrent connections for single-row INSERTs.", DefaultValueFactory = _ => defaults.Clients };
        var repetitions = new Option<int>("--repetitions") { Description = "Runs per cell, check on and off; medians are reported.", DefaultValueFactory = _ => defaults.Repetitions };
        var noInstructions = new Option<bool>("--no-instructions") { Description = "Skip the instruction counts (callgrind)." };
        var instructionsOnly = new Option<bool>("--instructions-only") { Description = "Only the instruction counts (callgrind): no timed runs, no guard." };
        var (doc, noDoc) = DocumentOptions();
        var command = new Command(TriggerCostScenario.Key, "Scenario 3: what 026's array checks add per referenced id vs a native FK per row; the referenced-side guard.")
        {
            rows, singleRows, clients, repetitions, noInstructions, instructionsOnly, doc, noDoc,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var options = defaults with
            {
                BulkRows = parsed.GetValue(rows),
                SingleRows = parsed.GetValue(singleRows),
                Clients = parsed.GetValue(clients),
                Repetitions = parsed.GetValue(repetitions),
                Instructions = !parsed.GetValue(noInstructions),
                InstructionsOnly = parsed.GetValue(instructionsOnly),
            };
            var report = await new TriggerCostScenario(options, Console.Error).RunAsync(CommandLine(args), cancellationToken);
            return await ReportPublisher.PublishAsync(report, parsed.GetValue(doc), !parsed.GetValue(noDoc), cancellationToken);
        });
        return command;
    }

    private static Command LiveMigration(IReadOnlyList<string> args)
    {
        var defaults = new LiveMigrationOptions();
        var scale = new Option<double>("--scale") { Description = "1 = 1.23 million rows in the nine TEXT-FK tables and 20,000 users.", DefaultValueFactory = _ => defaults.Scale };
        var writers = new Option<int>("--writers") { Description = "Concurrent writers during the migration.", DefaultValueFactory = _ => defaults.Writers };
        var rate = new Option<int>("--rate") { Description = "Inserts per second per writer.", DefaultValueFactory = _ => defaults.WritesPerSecond };
        var repetitions = new Option<int>("--repetitions") { Description = "Runs per variant; medians are reported.", DefaultValueFactory = _ => defaults.Repetitions };
        var (doc, noDoc) = DocumentOptions();
        var command = new Command(LiveMigrationScenario.Key, "Scenario 2: 025 under live writers vs the plan's literal one-transaction approach, on identical copies.")
        {
            scale, writers, rate, repetitions, doc, noDoc,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var options = defaults with
            {
                Scale = parsed.GetValue(scale),
                Writers = parsed.GetValue(writers),
                WritesPerSecond = parsed.GetValue(rate),
                Repetitions = parsed.GetValue(repetitions),
            };
            var report = await new LiveMigrationScenario(options, Console.Error).RunAsync(CommandLine(args), cancellationToken);
            return await ReportPublisher.PublishAsync(report, parsed.GetValue(doc), !parsed.GetValue(noDoc), cancellationToken);
        });
        return command;
    }

    private static (Option<string?> Doc, Option<bool> NoDoc) DocumentOptions() =>
    (
        new Option<string?>("--doc") { Description = "The benchmarks document to update (default: docs/benchmarks.md of the repository)." },
        new Option<bool>("--no-doc") { Description = "Print the figures only; leave docs/benchmarks.md alone." }
    );

    private static string CommandLine(IReadOnlyList<string> args) =>
        $"{Invocation} {string.Join(' ', args.Where(a => a != "--no-doc").Select(Quote))}".TrimEnd();

    private static string Quote(string argument) =>
        argument.Any(char.IsWhiteSpace) ? string.Create(CultureInfo.InvariantCulture, $"\"{argument}\"") : argument;

}
