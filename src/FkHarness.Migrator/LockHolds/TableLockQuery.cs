using Npgsql;

namespace FkHarness.Migrator.LockHolds;

/// <summary>
/// The granted table locks of one session that can make the application wait: ROW EXCLUSIVE and
/// stronger (ACCESS SHARE and ROW SHARE only conflict with DDL the application does not run), on
/// ordinary and partitioned tables outside the system catalogs, temporary schemas and fk_fix
/// (the migrations' own bookkeeping, created by them and never used by the application: an
/// ACCESS EXCLUSIVE lock on a table 025 is creating blocks nobody).
/// </summary>
internal static class TableLockQuery
{
    // The table's name as the report shows it, whatever the session's search_path (026 sets its
    // own, and a regclass cast would then qualify public's tables): public's bare, others qualified.
    private const string TableName = """
        CASE n.nspname WHEN 'public' THEN pg_catalog.quote_ident(c.relname)
            ELSE pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) END
        """;

    private const string TableFilter = """
        c.relkind IN ('r', 'p') AND c.relpersistence <> 't'
          AND c.relnamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema', 'fk_fix')
        """;

    private const string Filter = $"""
        l.locktype = 'relation' AND l.granted
          AND l.mode NOT IN ('AccessShareLock', 'RowShareLock')
          AND {TableFilter}
        """;

    /// <summary>Whether a lock of this mode is one the report lists (the modes <see cref="Filter"/> keeps).</summary>
    public static bool CanBlockTheApplication(string mode) => mode is not ("AccessShareLock" or "RowShareLock");

    /// <summary>The report's names of those of <paramref name="relations"/> that are application tables (the ones <see cref="Filter"/> keeps).</summary>
    public static NpgsqlCommand NamesOf(NpgsqlConnection connection, uint[] relations)
    {
        var command = new NpgsqlCommand($"""
            SELECT c.oid, {TableName}
            FROM pg_class AS c
            JOIN pg_namespace AS n ON n.oid = c.relnamespace
            WHERE c.oid = ANY ($1) AND {TableFilter}
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = relations, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Oid });
        return command;
    }

    /// <summary>Another session's locks, with its transaction's start (run from a side session).</summary>
    public static NpgsqlCommand ForSession(NpgsqlConnection connection, int pid)
    {
        var command = new NpgsqlCommand($"""
            SELECT {TableName}, l.mode, a.xact_start
            FROM pg_locks AS l
            JOIN pg_class AS c ON c.oid = l.relation
            JOIN pg_namespace AS n ON n.oid = c.relnamespace
            LEFT JOIN pg_stat_activity AS a ON a.pid = l.pid
            WHERE l.pid = $1 AND {Filter}
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pid });
        return command;
    }

    /// <summary>The calling session's own locks (run on the script's session, inside its transaction).</summary>
    public static NpgsqlCommand ForOwnSession(NpgsqlConnection connection) => new($"""
        SELECT {TableName}, l.mode, NULL::timestamptz
        FROM pg_locks AS l
        JOIN pg_class AS c ON c.oid = l.relation
        JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE l.pid = pg_backend_pid() AND {Filter}
        """, connection);

    public static List<HeldLock> Read(NpgsqlDataReader reader)
    {
        var locks = new List<HeldLock>();
        while (reader.Read())
        {
            locks.Add(new HeldLock(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return locks;
    }

    public static async Task<List<HeldLock>> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var locks = new List<HeldLock>();
        while (await reader.ReadAsync(cancellationToken))
        {
            locks.Add(new HeldLock(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return locks;
    }
}
