using Npgsql;

namespace FkHarness.Migrator.Database;

/// <summary>
/// One hash of the database's schema objects outside <c>fkharness</c> (schemas, relations and their
/// columns, constraints and whether validated, indexes and whether valid, routines and their bodies,
/// triggers, types, rules, policies, extensions). Taken before an up script and again if it fails:
/// equal means the script changed no schema object. A migration's data changes are not seen, but
/// 025 and 026 change data only after creating their own objects.
/// </summary>
internal static class CatalogFootprint
{
    // The schemas the application (and the migrations) can change, fkharness excepted: the progress
    // row is written there between the two looks.
    private const string Sql = """
        WITH ns AS (
            SELECT oid, nspname FROM pg_namespace
            WHERE nspname <> 'fkharness' AND nspname <> 'information_schema' AND nspname NOT LIKE 'pg\_%'
        )
        SELECT md5(concat_ws(E'\n',
            (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM ns),
            (SELECT string_agg(concat_ws(':', c.oid, c.relname, c.relkind), ',' ORDER BY c.oid) FROM pg_class AS c JOIN ns ON ns.oid = c.relnamespace),
            (SELECT string_agg(concat_ws(':', a.attrelid, a.attnum, a.attname, a.atttypid, a.attnotnull, a.attisdropped, a.attgenerated), ',' ORDER BY a.attrelid, a.attnum)
             FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid JOIN ns ON ns.oid = c.relnamespace WHERE a.attnum > 0),
            (SELECT string_agg(concat_ws(':', co.oid, co.conname, co.convalidated), ',' ORDER BY co.oid) FROM pg_constraint AS co JOIN ns ON ns.oid = co.connamespace),
            (SELECT string_agg(concat_ws(':', i.indexrelid, i.indisvalid, i.indisready), ',' ORDER BY i.indexrelid)
             FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid JOIN ns ON ns.oid = c.relnamespace),
            (SELECT string_agg(concat_ws(':', p.oid, md5(p.prosrc)), ',' ORDER BY p.oid) FROM pg_proc AS p JOIN ns ON ns.oid = p.pronamespace),
            (SELECT string_agg(concat_ws(':', t.oid, t.tgenabled), ',' ORDER BY t.oid) FROM pg_trigger AS t WHERE NOT t.tgisinternal),
            (SELECT string_agg(t.oid::text, ',' ORDER BY t.oid) FROM pg_type AS t JOIN ns ON ns.oid = t.typnamespace),
            (SELECT string_agg(r.oid::text, ',' ORDER BY r.oid) FROM pg_rewrite AS r JOIN pg_class AS c ON c.oid = r.ev_class JOIN ns ON ns.oid = c.relnamespace),
            (SELECT string_agg(p.oid::text, ',' ORDER BY p.oid) FROM pg_policy AS p),
            (SELECT string_agg(e.oid::text, ',' ORDER BY e.oid) FROM pg_extension AS e)))
        """;

    public static async Task<string> TakeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Sql, connection);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
