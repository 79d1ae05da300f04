using FkHarness.Migrator;
using FkHarness.Migrator.Errors;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations.Staging;

/// <summary>
/// What the staging-shaped tests share: a baseline clone with two users ('usr_alice', 'usr_bob')
/// and the rows the other tables' NOT NULL foreign keys need, 025 through the real migrator, and
/// the state a refusal must leave untouched.
/// </summary>
internal static class StagingSchema
{
    public static async Task<TestDatabase> CreateAsync(PostgresFixture fixture)
    {
        var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync("""
            INSERT INTO users (id, user_id, email, display_name) VALUES (1, 'usr_alice', 'alice@example.com', 'Alice'), (2, 'usr_bob', 'bob@example.com', 'Bob');
            INSERT INTO deployments (id, service_name, environment, version) VALUES (1, 'api', 'staging', '1.0.0');
            SELECT setval(pg_get_serial_sequence('users', 'id'), 100), setval(pg_get_serial_sequence('deployments', 'id'), 100);
            """);
        return database;
    }

    /// <summary>Runs 025 (024 is the audit, not a migration) through the migrator; returns its error, or null.</summary>
    public static async Task<MigratorError?> Up025Async(string connectionString)
    {
        var result = await new UpgradeRunner().UpAsync(connectionString, "025");
        return result.Succeeded ? null : result.Error;
    }

    /// <summary>Every application table's rows, and whether 025 left anything (fk_fix, an index, an FK).</summary>
    public static async Task<string> StateAsync(TestDatabase database)
    {
        var tables = await TableChecksums.TakeAsync(database.ConnectionString);
        var leftovers = await database.ScalarAsync<string>("""
            SELECT 'fk_fix=' || (SELECT count(*) FROM pg_namespace WHERE nspname = 'fk_fix')
                || ' indexes=' || (SELECT count(*) FROM pg_class WHERE relname LIKE 'idx\_%' AND relkind IN ('i', 'I'))
                || ' fks=' || (SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conname LIKE '%\_fkey' AND confrelid = 'public.users'::regclass)
            """);
        return string.Join("\n", tables.Select(t => $"{t.Key} {t.Value}")) + "\n" + leftovers;
    }

    /// <summary>The quarantine as "table#row action 'value'" lines, sorted.</summary>
    public static async Task<List<string>> QuarantineAsync(TestDatabase database)
    {
        var rows = await database.ColumnAsync(
            "SELECT table_name || '#' || row_id || ' ' || action || ' ''' || coalesce(old_value, '<null>') || '''' FROM fk_fix.quarantine");
        return rows.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The nine FKs 025 adds that exist, validated, and reference public.users(user_id).</summary>
    public static Task<long> ValidatedForeignKeysAsync(TestDatabase database) => database.ScalarAsync<long>("""
        SELECT count(*) FROM fk_fix.text_fk_plan AS p
        JOIN pg_constraint AS c ON c.conname = p.constraint_name AND c.conrelid = ('public.' || p.table_name)::regclass
        WHERE c.contype = 'f' AND c.convalidated AND c.confrelid = 'public.users'::regclass
        """);
}
