using System.Collections;
using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FkHarness.Tests.AppHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.Aspire;

/// <summary>
/// The generated password lives only in the run's 0600 files: a whole rehearsal through the
/// AppHost's Aspire graph, on each kind of PostgreSQL resource, while everything the dashboard
/// would show is collected (every resource snapshot's environment variables, properties, URLs and
/// volumes, every resource's log, fkdb's "roll back 026" command's included); then none of it, no artifact and no user secret under the home
/// folder holds the password that fkdb's password file names, and that file is gone afterwards.
/// </summary>
[Collection(AppHostTests.Name)]
public sealed class SecretsTests(ITestOutputHelper output)
{
    private static readonly string[] Ended = [KnownResourceStates.Finished, KnownResourceStates.Exited, KnownResourceStates.FailedToStart];

    [Fact]
    public Task Local_PasswordOnlyInTheRunsOwnerOnlyFiles() => AssertPasswordStaysInItsFilesAsync(["--postgres", "local"]);

    [Fact]
    public async Task Container_PasswordOnlyInTheRunsOwnerOnlyFiles()
    {
        await ContainerImage.EnsureBuiltAsync();
        await AssertPasswordStaysInItsFilesAsync(["--postgres", "container", "--postgres-image", ContainerImage.Name]);
    }

    private async Task AssertPasswordStaysInItsFilesAsync(string[] postgres)
    {
        var artifacts = Directory.CreateTempSubdirectory("fkh-secrets-").FullName;
        var shown = new ConcurrentBag<(string Where, string Text)>();
        string passfile;
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(6));
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FkHarness_AppHost>(
                [.. postgres, "--scale", "0.05", "--artifacts", artifacts], limit.Token);
            await using (var app = await builder.BuildAsync(limit.Token))
            {
                using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
                var watching = WatchEverythingShownAsync(app, shown, stopWatching.Token);
                await app.StartAsync(limit.Token);
                var last = LastResource(app);
                var ended = await app.ResourceNotifications.WaitForResourceAsync(last, e => Ended.Contains(e.Snapshot.State?.Text), limit.Token);
                Assert.True(ended.Snapshot.ExitCode == 0, $"{last} exit code {ended.Snapshot.ExitCode}");
                // One of fkdb's commands too: its resource (started on demand) gets fkdb and logs like the steps.
                var command = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync("fkdb", "rollback-026", limit.Token);
                Assert.True(command.Success, command.Message);
                var connectionString = await app.GetConnectionStringAsync("fkdb", limit.Token) ?? throw new InvalidOperationException("fkdb has no connection string");
                passfile = new NpgsqlConnectionStringBuilder(connectionString).Passfile
                    ?? throw new Xunit.Sdk.XunitException("fkdb's connection string names no Passfile (it carries the password?)");
                var password = PasswordIn(passfile);
                Assert.DoesNotContain(password, connectionString, StringComparison.Ordinal);
                foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(passfile)!, "*", SearchOption.AllDirectories).Where(f => Holds(f, password)))
                {
                    Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{file} holds the password and is not 0600");
                }

                await stopWatching.CancelAsync();
                await watching;
                Assert.Contains(shown, s => s.Where.EndsWith("env ConnectionStrings__fkdb", StringComparison.Ordinal));
                Assert.Contains(shown, s => s.Where == "command-rollback-026 env ConnectionStrings__fkdb");
                Assert.Contains(shown, s => s.Where == "command-rollback-026 log" && s.Text.Contains("Roll back 026", StringComparison.Ordinal));
                AssertNone("shown", shown.Where(s => s.Text.Contains(password, StringComparison.Ordinal)).Select(s => s.Where));
                AssertNone("artifacts", Directory.EnumerateFiles(artifacts, "*", SearchOption.AllDirectories).Where(f => Holds(f, password)));
                AssertNone("user secrets", UserSecretFiles().Where(f => Holds(f, password)));
                output.WriteLine($"{shown.Count} things shown, none holds the password; {passfile}");
            }

            Assert.False(File.Exists(passfile), $"{passfile} is left after the app stopped");
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    /// <summary>The resource whose end is the rehearsal's end: the rehearsal, or the last of its steps (report) where the AppHost declares one resource per step.</summary>
    private static string LastResource(DistributedApplication app) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Any(r => r.Name == "report") ? "report" : "rehearsal";

    /// <summary>Every snapshot of every resource (what the dashboard's resource and environment views show) and every resource's log lines, until cancelled.</summary>
    private static async Task WatchEverythingShownAsync(DistributedApplication app, ConcurrentBag<(string Where, string Text)> shown, CancellationToken cancellationToken)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var watchers = model.Resources.Select(r => Task.Run(async () =>
        {
            await foreach (var batch in logs.WatchAsync(r.Name).WithCancellation(cancellationToken))
            {
                foreach (var line in batch)
                {
                    shown.Add(($"{r.Name} log", line.Content));
                }
            }
        }, CancellationToken.None)).ToList();
        // An executable's log is kept under the instance DCP made for it (seed-abcd1234), known once it exists.
        var instances = new ConcurrentDictionary<string, Task>();
        watchers.Add(Task.Run(async () =>
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(cancellationToken))
            {
                var name = e.Resource.Name;
                if (e.ResourceId != name)
                {
                    _ = instances.GetOrAdd(e.ResourceId, id => Task.Run(async () =>
                    {
                        await foreach (var batch in logs.WatchAsync(id).WithCancellation(cancellationToken))
                        {
                            foreach (var line in batch)
                            {
                                shown.Add(($"{name} log", line.Content));
                            }
                        }
                    }, CancellationToken.None));
                }

                foreach (var variable in e.Snapshot.EnvironmentVariables)
                {
                    shown.Add(($"{name} env {variable.Name}", variable.Value ?? ""));
                }

                foreach (var property in e.Snapshot.Properties)
                {
                    shown.Add(($"{name} property {property.Name}", TextOf(property.Value)));
                }

                foreach (var url in e.Snapshot.Urls)
                {
                    shown.Add(($"{name} url {url.Name}", url.Url));
                }

                foreach (var volume in e.Snapshot.Volumes)
                {
                    shown.Add(($"{name} volume", $"{volume.Source} {volume.Target}"));
                }
            }
        }, CancellationToken.None));
        try
        {
            await Task.WhenAll(watchers);
        }
        catch (OperationCanceledException)
        {
        }

        try
        {
            await Task.WhenAll(instances.Values);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void AssertNone(string where, IEnumerable<string> holdingThePassword)
    {
        var found = holdingThePassword.Distinct().Order().ToList();
        Assert.True(found.Count == 0, $"The password is in the {where}: {string.Join(", ", found)}");
    }

    private static string TextOf(object? value) => value switch
    {
        null => "",
        string text => text,
        IEnumerable items => string.Join(" ", items.Cast<object?>().Select(TextOf)),
        _ => value.ToString() ?? "",
    };

    private static string PasswordIn(string passfile)
    {
        var line = File.ReadLines(passfile).Single(l => l.Length > 0);
        var password = line[(line.LastIndexOf(':') + 1)..];
        Assert.True(password.Length >= 16, "the password file holds no generated password");
        return password;
    }

    private static bool Holds(string file, string password)
    {
        try
        {
            return File.ReadAllText(file).Contains(password, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static IEnumerable<string> UserSecretFiles()
    {
        var secrets = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".microsoft", "usersecrets");
        return Directory.Exists(secrets) ? Directory.EnumerateFiles(secrets, "*", SearchOption.AllDirectories) : [];
    }
}
