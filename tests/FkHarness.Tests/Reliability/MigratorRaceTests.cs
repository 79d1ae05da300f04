using FkHarness.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// Migrator processes started at the same instant against one database: the advisory lock lets one
/// work at a time, each script runs exactly once, the others wait and find nothing to do, and `up`
/// racing `down` ends fully up or fully down, never half. (In-process races, the lock wait and its
/// timeout are in Migrator/MigratorConcurrencyTests.)
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class MigratorRaceTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    // The migrators run one after another, so the last to get the lock waits for all the others:
    // in the soak, 12 of them on 1.25 million rows took longer than one run's timeout.
    private static readonly TimeSpan RunTimeoutPerQueuedRun = TimeSpan.FromSeconds(45);

    // Each script writes down every time it runs, so "applied once" is counted, not inferred.
    private static ScriptFolder CountingScripts() => new ScriptFolder()
        .With("001_first",
            "CREATE TABLE IF NOT EXISTS script_runs (n int GENERATED ALWAYS AS IDENTITY, script text NOT NULL, pid int NOT NULL);\n" +
            "INSERT INTO script_runs (script, pid) VALUES ('up 001', pg_backend_pid());\nSELECT pg_sleep(0.3);\n",
            "INSERT INTO script_runs (script, pid) VALUES ('down 001', pg_backend_pid());\nSELECT pg_sleep(0.1);\n")
        .With("002_second",
            "INSERT INTO script_runs (script, pid) VALUES ('up 002', pg_backend_pid());\nSELECT pg_sleep(0.1);\n",
            "INSERT INTO script_runs (script, pid) VALUES ('down 002', pg_backend_pid());\nSELECT pg_sleep(0.1);\n");

    [Fact]
    public async Task ConcurrentUpProcesses_RunEachScriptExactlyOnce_TheOthersWaitAndFindNothingToDo()
    {
        await using var db = await BaselineTemplate.CreateAsync(fixture);
        using var scripts = CountingScripts();
        var count = Soak.Pick(6, 16);

        var runs = await RunAllAsync(db, Enumerable.Repeat<string[]>(["up", "--migrations", scripts.Path], count));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.AllOutput));
        Assert.Equal(["up 001", "up 002"], await ScriptRunsAsync(db));
        Assert.Equal(["001_first", "002_second"], await JournalAsync(db));
        Assert.Single(runs, r => r.StandardOutput.Contains("Applied: 001_first, 002_second", StringComparison.Ordinal));
        Assert.Equal(count - 1, runs.Count(r => r.StandardOutput.Contains("Nothing to apply", StringComparison.Ordinal)));
        Assert.Contains(runs, r => r.StandardError.Contains("Waiting for another migrator", StringComparison.Ordinal));
        Figures("race-concurrent-ups", $"{count} concurrent `up` processes: 1 applied both scripts, {count - 1} found nothing to apply; each script ran once.");
    }

    [Fact]
    public async Task UpRacingDown_EachScriptRunsInTurn_AndTheJournalMatchesTheLastRun()
    {
        await using var db = await BaselineTemplate.CreateAsync(fixture);
        using var scripts = CountingScripts();
        var pairs = Soak.Pick(3, 8);
        // Applied once before, so the first `down` in line has something to undo.
        Assert.Equal(0, (await MigratorProcess.RunAsync(db.ConnectionString, RunTimeout, "up", "--migrations", scripts.Path)).ExitCode);

        var runs = await RunAllAsync(db, Enumerable.Range(0, pairs * 2)
            .Select(i => (string[])[i % 2 == 0 ? "down" : "up", "--migrations", scripts.Path]));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.AllOutput));
        var history = await ScriptRunsAsync(db);
        // Per script: up, down, up, down, … never two of a kind in a row, and each whole run is
        // uninterrupted: a down undoes 002 then 001, an up applies 001 then 002.
        foreach (var script in new[] { "001", "002" })
        {
            var turns = history.Where(h => h.EndsWith(script, StringComparison.Ordinal)).Select(h => h.Split(' ')[0]).ToList();
            Assert.True(turns.Zip(turns.Skip(1)).All(p => p.First != p.Second), $"{script} ran {string.Join(", ", turns)}");
        }

        for (var i = 1; i < history.Count; i++)
        {
            var pair = $"{history[i - 1]} → {history[i]}";
            Assert.True(pair is "up 001 → up 002" or "up 002 → down 002" or "down 002 → down 001" or "down 001 → up 001", $"Out of turn: {string.Join(", ", history)}");
        }

        var lastWasUp = history[^1] == "up 002";
        Assert.Equal(lastWasUp ? ["001_first", "002_second"] : [], await JournalAsync(db));
        Figures("race-up-down", $"{pairs} `up` and {pairs} `down` processes at once: script runs in order {string.Join(", ", history)}.");
    }

    [Fact]
    public async Task ConcurrentUpsAndDowns_OnASeededDatabase_EndFullyUpOrFullyDown()
    {
        var reference = await ReliabilityDatabases.ReferenceAsync(fixture);
        await using var db = (await ReliabilityDatabases.SeededAsync(fixture)).Database;
        var ups = Soak.Pick(3, 6);
        var downs = Soak.Pick(2, 6);

        // up, down, up, down, …, up: started in this order, a few milliseconds apart.
        var runs = await RunAllAsync(db, Enumerable.Range(0, ups + downs).Select(i => (string[])[i < downs * 2 && i % 2 == 1 ? "down" : "up"]));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.AllOutput));
        var journal = await JournalAsync(db);
        Assert.Equal(journal.Distinct(), journal);
        var end = await EndState.TakeAsync(db.ConnectionString);
        var expected = journal.Count == 0 ? reference.FullyDown : reference.FullyUp;
        var diff = expected.Diff(end);
        Assert.True(diff.Length == 0, $"Neither fully up nor fully down (journal: {string.Join(", ", journal)}):\n{diff}");
        var applied = runs.Count(r => r.StandardOutput.Contains("Applied:", StringComparison.Ordinal));
        var rolledBack = runs.Count(r => r.StandardOutput.Contains("Rolled back:", StringComparison.Ordinal));
        Assert.Equal(journal.Count == 0 ? 0 : 1, applied - rolledBack);
        Figures("race-seeded", $"{runs.Count} processes ({ups} up, {runs.Count - ups} down) at once on a seeded database: {applied} applied, {rolledBack} rolled back, the rest found nothing to do; ended {(journal.Count == 0 ? "fully down" : "fully up")}.");
    }

    private void Figures(string name, string line)
    {
        var figures = new ReliabilityFigures(output, name);
        figures.Line(line);
        figures.Save();
    }

    private static async Task<List<MigratorProcess>> RunAllAsync(TestDatabase db, IEnumerable<string[]> commands)
    {
        var processes = commands.Select(arguments => MigratorProcess.Start(db.ConnectionString, arguments)).ToList();
        try
        {
            var timeout = RunTimeout + (RunTimeoutPerQueuedRun * (processes.Count - 1));
            await Task.WhenAll(processes.Select(p => p.WaitAsync(timeout)));
            return processes;
        }
        catch
        {
            processes.ForEach(p => p.Dispose());
            throw;
        }
    }

    private static async Task<List<string>> ScriptRunsAsync(TestDatabase db) => await ListAsync(db, "SELECT script FROM script_runs ORDER BY n");

    private static async Task<List<string>> JournalAsync(TestDatabase db) =>
        await ListAsync(db, "SELECT script_name FROM fkharness.schema_versions ORDER BY script_name");

    private static Task<List<string>> ListAsync(TestDatabase db, string sql) => db.ColumnAsync(sql);
}
