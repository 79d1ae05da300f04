using FkHarness.Rehearsal.Resources;
using Npgsql;

namespace FkHarness.Rehearsal.Postgres;

/// <summary>
/// Finds the role the migrations run as (--migrate-as, else the owner of public.users) and makes
/// it the owner of the rehearsal database, as staging's database is normally owned by its
/// application's owner: a pg_dump carries no database-level owner or grant, and 025/026 and the
/// migrator's journal create schemas and indexes, which need CREATE there.
/// </summary>
internal static class MigrationRoleResolver
{
    /// <returns>The role, or null when <paramref name="requested"/> names no role there.</returns>
    public static async Task<MigrationRole?> ResolveAsync(RehearsalDatabase database, string? requested, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var find = new NpgsqlCommand("""
            SELECT r.rolname, r.rolsuper
            FROM pg_catalog.pg_roles AS r
            WHERE r.rolname = coalesce(@requested,
                (SELECT pg_catalog.pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class AS c WHERE c.oid = pg_catalog.to_regclass('public.users')),
                current_user)
            """, connection);
        find.Parameters.AddWithValue("requested", (object?)requested ?? DBNull.Value);
        string name;
        bool isSuperuser;
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            name = reader.GetString(0);
            isSuperuser = reader.GetBoolean(1);
        }

        if (!isSuperuser)
        {
            await using var own = new NpgsqlCommand($"ALTER DATABASE {Quote(database.Name)} OWNER TO {Quote(name)}", connection);
            await own.ExecuteNonQueryAsync(cancellationToken);
        }

        return new MigrationRole(name, MigrationRole.ConnectionStringFor(database.ConnectionString, name), isSuperuser);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
