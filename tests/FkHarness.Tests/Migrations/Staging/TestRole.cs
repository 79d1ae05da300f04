using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Migrations.Staging;

/// <summary>
/// A login role of one test's own (roles are cluster-wide: the name is unique), no superuser.
/// Create it before the database it is used in, so the database is dropped first and the role,
/// owning nothing any more, can go.
/// </summary>
internal sealed class TestRole(PostgresFixture fixture, string name, string password) : IAsyncDisposable
{
    public string Name { get; } = name;

    public static async Task<TestRole> CreateAsync(PostgresFixture fixture, string attributes = "")
    {
        var name = "app_" + Guid.NewGuid().ToString("N")[..12];
        var password = Guid.NewGuid().ToString("N");
        await fixture.ExecuteAdminAsync($"CREATE ROLE {name} LOGIN NOSUPERUSER PASSWORD '{password}' {attributes}");
        return new TestRole(fixture, name, password);
    }

    public string ConnectionStringFor(TestDatabase database) =>
        new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = Name, Password = password }.ConnectionString;

    /// <summary>
    /// Makes the role the owner of every table in public, with CREATE on the database and on
    /// public (the application's owner, as on staging), unless <paramref name="createOnPublic"/> is false.
    /// </summary>
    public Task OwnApplicationTablesAsync(TestDatabase database, bool createOnPublic = true) => database.ExecuteAsync($"""
        GRANT CREATE ON DATABASE "{database.Name}" TO {Name};
        {(createOnPublic ? $"GRANT CREATE ON SCHEMA public TO {Name};" : "")}
        DO $$
        DECLARE t text;
        BEGIN
            FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
                EXECUTE format('ALTER TABLE public.%I OWNER TO {Name}', t);
            END LOOP;
        END
        $$;
        -- The migrator's own journal lives in fkharness, which the baseline made as the superuser.
        GRANT USAGE, CREATE ON SCHEMA fkharness TO {Name};
        """);

    public async ValueTask DisposeAsync()
    {
        await fixture.ExecuteAdminAsync($"DROP ROLE IF EXISTS {Name}");
    }
}
