using Npgsql;

namespace FkHarness.Rehearsal.Postgres;

/// <summary>
/// The role the migrations run as: by default the owner of public.users, as on staging, where the
/// owner of the tables runs them. The migrator still logs in as the rehearsal's user but its
/// sessions start with <c>-c role=…</c> (SET ROLE), so every privilege check is the role's.
/// </summary>
/// <param name="Name">The role, as PostgreSQL stores its name.</param>
/// <param name="ConnectionString">The rehearsal database's, with the role set at connection start when it is not the login user.</param>
/// <param name="IsSuperuser">Whether the role is a superuser (then nothing staging-like is being rehearsed about privileges).</param>
internal sealed record MigrationRole(string Name, string ConnectionString, bool IsSuperuser)
{
    public static string ConnectionStringFor(string connectionString, string role)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.Equals(builder.Username, role, StringComparison.Ordinal))
        {
            return connectionString;
        }

        // libpq's options syntax: a backslash escapes a space or a backslash inside a value.
        var value = role.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(" ", "\\ ", StringComparison.Ordinal);
        builder.Options = string.IsNullOrEmpty(builder.Options) ? $"-c role={value}" : $"{builder.Options} -c role={value}";
        return builder.ConnectionString;
    }
}
