namespace FkHarness.Tests.AppHost;

/// <summary>
/// Tests that run the AppHost as a process. One at a time: each starts a PostgreSQL cluster of its
/// own and would only slow the others down on a small CI machine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AppHostTests
{
    public const string Name = "apphost";
}
