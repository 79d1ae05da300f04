namespace FkHarness.Tests.Infrastructure;

/// <summary>Tests that need a database. Share one cluster; each test clones its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
