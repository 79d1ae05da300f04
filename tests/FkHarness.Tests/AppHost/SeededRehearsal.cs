namespace FkHarness.Tests.AppHost;

/// <summary>
/// One full rehearsal with --rollback at a small scale, run once for the tests that read it: its
/// artifacts (report, manifest, backup) are what they assert on.
/// </summary>
public sealed class SeededRehearsal : IAsyncLifetime
{
    public const string Scale = "0.2";

    internal AppHostRun Run { get; private set; } = null!;

    public string Artifacts { get; } = Directory.CreateTempSubdirectory("fkh-apphost-seeded-").FullName;

    public async Task InitializeAsync() =>
        Run = await AppHostProcess.RunAsync(["--scale", Scale, "--seed", "7", "--rollback", "--artifacts", Artifacts]);

    public Task DisposeAsync()
    {
        Run?.Dispose();
        Directory.Delete(Artifacts, recursive: true);
        return Task.CompletedTask;
    }
}
