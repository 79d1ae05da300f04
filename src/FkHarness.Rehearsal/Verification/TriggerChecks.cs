using FkHarness.Catalog;
using Npgsql;

namespace FkHarness.Rehearsal.Verification;

/// <summary>
/// The plan's trigger test, made exhaustive: for each array column an INSERT and an UPDATE of an
/// unknown id, and for each referenced table a DELETE of a row an array still holds, must fail
/// with SQLSTATE 23503 and the catalog's message. Each attempt runs in a transaction that is
/// always rolled back, so nothing is changed whatever happens.
/// </summary>
internal static class TriggerChecks
{
    public const string Category = "triggers";

    public static async Task<IReadOnlyList<VerificationCheck>> RunAsync(NpgsqlConnection connection, ForeignKeyCatalog catalog, CancellationToken cancellationToken)
    {
        var checks = new List<VerificationCheck>();
        foreach (var finding in catalog.ArrayForeignKeys)
        {
            var columns = await CopyableColumnsAsync(connection, finding, cancellationToken);
            var bad = $"ARRAY[(SELECT coalesce(max(id), 0) + 1000003 FROM {finding.TargetTable})]::bigint[]";
            // A copy of an existing row with the array replaced: valid in every other column.
            var copied = string.Concat(columns.Select(c => Quote(c) + ", "));
            checks.Add(await RejectsAsync(connection, finding, $"INSERT into {finding.SourceTable} with an unknown id in {finding.SourceColumn}",
                $"INSERT INTO {finding.SourceTable} ({copied}{Quote(finding.SourceColumn)}) SELECT {copied}{bad} FROM {finding.SourceTable} ORDER BY id LIMIT 1",
                cancellationToken));
            checks.Add(await RejectsAsync(connection, finding, $"UPDATE of {finding.SourceTable}.{finding.SourceColumn} to an unknown id",
                $"UPDATE {finding.SourceTable} SET {Quote(finding.SourceColumn)} = {bad} WHERE id = (SELECT min(id) FROM {finding.SourceTable})",
                cancellationToken));
        }

        foreach (var target in catalog.ArrayForeignKeys.GroupBy(f => f.TargetTable!))
        {
            checks.Add(await RejectsDeleteOfHeldRowAsync(connection, catalog, target.Key, [.. target], cancellationToken));
        }

        return checks;
    }

    private static async Task<VerificationCheck> RejectsDeleteOfHeldRowAsync(
        NpgsqlConnection connection, ForeignKeyCatalog catalog, string target, IReadOnlyList<ForeignKeyFinding> holders, CancellationToken cancellationToken)
    {
        // A row some array holds; for users, one no TEXT FK references either, so that only 026's
        // guard (and not one of 025's constraints) can be what refuses the delete.
        var held = string.Join(" UNION ", holders.Select(h => $"SELECT unnest({Quote(h.SourceColumn)}) AS id FROM {h.SourceTable}"));
        var unreferenced = target != "users" ? "" : string.Concat(catalog.TextForeignKeys.Select(f =>
            $" AND NOT EXISTS (SELECT 1 FROM {f.SourceTable} AS r WHERE r.{Quote(f.SourceColumn)} = t.user_id)"));
        var sql = $"DELETE FROM {target} WHERE id = (SELECT t.id FROM {target} AS t JOIN ({held}) AS h ON h.id = t.id WHERE true{unreferenced} ORDER BY t.id LIMIT 1)";
        return await RejectsAsync(connection, holders[0], $"DELETE of a row of {target} that an array still holds", sql, cancellationToken, needsRow: "DELETE");
    }

    private static async Task<VerificationCheck> RejectsAsync(
        NpgsqlConnection connection, ForeignKeyFinding finding, string name, string sql, CancellationToken cancellationToken, string needsRow = "")
    {
        var expected = finding.ErrorMessage ?? "";
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            var affected = await command.ExecuteNonQueryAsync(cancellationToken);
            return affected == 0
                ? VerificationCheck.Skip(Category, name, needsRow == "DELETE"
                    ? "no row held by an array (and referenced by nothing else) to try to delete"
                    : $"{finding.SourceTable} is empty: no row to try it on")
                : VerificationCheck.Fail(Category, name, $"accepted ({affected} row(s)); expected SQLSTATE 23503 '{expected}'");
        }
        catch (PostgresException e)
        {
            var holds = e.SqlState == PostgresErrorCodes.ForeignKeyViolation && e.MessageText.Contains(expected, StringComparison.Ordinal);
            return VerificationCheck.Expect(holds, Category, name, $"rejected: {e.SqlState} {e.MessageText}");
        }
        finally
        {
            // Never commit: a check must leave the database as it found it.
            await transaction.RollbackAsync(CancellationToken.None);
        }
    }

    private static async Task<IReadOnlyList<string>> CopyableColumnsAsync(NpgsqlConnection connection, ForeignKeyFinding finding, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT a.attname FROM pg_attribute AS a
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
              AND a.attidentity = '' AND a.attgenerated = '' AND a.attname <> $2
            ORDER BY a.attnum
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = finding.SourceTable });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = finding.SourceColumn });
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
