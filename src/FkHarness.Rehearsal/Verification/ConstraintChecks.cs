using FkHarness.Catalog;
using Npgsql;

namespace FkHarness.Rehearsal.Verification;

/// <summary>
/// The plan's Steps 3–4 verification, per catalog entry: each TEXT FK present, validated, pointing
/// where the catalog says, with its partial index; each array column with its triggers enabled
/// and its GIN index valid.
/// </summary>
internal static class ConstraintChecks
{
    public const string Category = "constraints";

    public static async Task<IReadOnlyList<VerificationCheck>> RunAsync(NpgsqlConnection connection, ForeignKeyCatalog catalog, CancellationToken cancellationToken)
    {
        var checks = new List<VerificationCheck>();
        foreach (var finding in catalog.TextForeignKeys)
        {
            checks.Add(await ForeignKeyAsync(connection, finding, cancellationToken));
            checks.Add(await IndexAsync(connection, finding, partial: true, cancellationToken));
        }

        foreach (var finding in catalog.ArrayForeignKeys)
        {
            checks.Add(await TriggersAsync(connection, finding, cancellationToken));
            checks.Add(await IndexAsync(connection, finding, partial: false, cancellationToken));
        }

        return checks;
    }

    private static async Task<VerificationCheck> ForeignKeyAsync(NpgsqlConnection connection, ForeignKeyFinding finding, CancellationToken cancellationToken)
    {
        var name = $"{finding.ConstraintName} present and validated";
        await using var command = new NpgsqlCommand(
            """
            SELECT c.convalidated, c.confrelid::regclass::text, pg_get_constraintdef(c.oid)
            FROM pg_constraint AS c
            WHERE c.contype = 'f' AND c.conname = $1 AND c.conrelid = to_regclass($2)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = finding.ConstraintName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = finding.SourceTable });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return VerificationCheck.Fail(Category, name, $"no foreign key {finding.ConstraintName} on {finding.SourceTable}");
        }

        var (validated, target, definition) = (reader.GetBoolean(0), reader.GetString(1), reader.GetString(2));
        var expected = $"FOREIGN KEY ({finding.SourceColumn}) REFERENCES {finding.TargetTable}({finding.TargetColumn})";
        var holds = validated && target == finding.TargetTable && definition.StartsWith(expected, StringComparison.Ordinal);
        return VerificationCheck.Expect(holds, Category, name, $"{definition}{(validated ? "" : " (NOT VALID)")}");
    }

    private static async Task<VerificationCheck> IndexAsync(NpgsqlConnection connection, ForeignKeyFinding finding, bool partial, CancellationToken cancellationToken)
    {
        var name = $"{finding.IndexName} valid on {finding.SourceTable}.{finding.SourceColumn}";
        await using var command = new NpgsqlCommand(
            """
            SELECT i.indisvalid, i.indpred IS NOT NULL, a.attname, am.amname, pg_get_indexdef(i.indexrelid)
            FROM pg_index AS i
            JOIN pg_class AS ic ON ic.oid = i.indexrelid
            JOIN pg_am AS am ON am.oid = ic.relam
            LEFT JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indexrelid = to_regclass($1) AND i.indrelid = to_regclass($2)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = finding.IndexName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = finding.SourceTable });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return VerificationCheck.Fail(Category, name, $"no index {finding.IndexName} on {finding.SourceTable}");
        }

        var (valid, isPartial, column, method, definition) =
            (reader.GetBoolean(0), reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4));
        var holds = valid && column == finding.SourceColumn && (partial ? isPartial : method == "gin");
        return VerificationCheck.Expect(holds, Category, name, valid ? definition : definition + " (INVALID)");
    }

    private static async Task<VerificationCheck> TriggersAsync(NpgsqlConnection connection, ForeignKeyFinding finding, CancellationToken cancellationToken)
    {
        var name = $"{finding.SourceTable}.{finding.SourceColumn} guarded by {finding.Triggers.Count} trg_check_ trigger(s)";
        await using var command = new NpgsqlCommand(
            "SELECT t.tgname FROM pg_trigger AS t WHERE t.tgrelid = to_regclass($1) AND t.tgenabled <> 'D' AND NOT t.tgisinternal", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = finding.SourceTable });
        var present = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                present.Add(reader.GetString(0));
            }
        }

        var missing = finding.Triggers.Where(t => !present.Contains(t)).ToList();
        return missing.Count == 0
            ? VerificationCheck.Pass(Category, name, string.Join(", ", finding.Triggers))
            : VerificationCheck.Fail(Category, name, $"missing or disabled: {string.Join(", ", missing)}");
    }
}
