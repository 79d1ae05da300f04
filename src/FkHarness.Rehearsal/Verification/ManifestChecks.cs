using System.Text.Json;
using FkHarness.Catalog;
using FkHarness.Seeder.Manifest;
using Npgsql;

namespace FkHarness.Rehearsal.Verification;

/// <summary>
/// Ground truth against outcome, row by row: fk_fix.quarantine must hold exactly the planted rows
/// the manifest expects 025 to delete or null (same row, same old value), those rows must be gone
/// or NULL, and every planted legal value (NULLs, empty arrays, external ids…) must be unchanged.
/// </summary>
internal static class ManifestChecks
{
    public static async Task<IReadOnlyList<VerificationCheck>> RunAsync(
        NpgsqlConnection connection, OrphanManifest? manifest, ForeignKeyCatalog catalog, CancellationToken cancellationToken)
    {
        if (manifest is null)
        {
            return [VerificationCheck.Skip("quarantine", "quarantine equals the seeder's manifest", "no manifest: the data came from a dump, so the quarantine is checked against 024's counts only")];
        }

        var quarantined = await QuarantineReader.ExistsAsync(connection, cancellationToken)
            ? await QuarantineReader.RowsAsync(connection, cancellationToken)
            : [];
        var checks = new List<VerificationCheck>();
        foreach (var planted in manifest.Findings)
        {
            var finding = catalog.Findings.FirstOrDefault(f => f.Id == planted.FindingId);
            if (finding is null)
            {
                continue;
            }

            if (finding.IsTextForeignKey)
            {
                checks.Add(QuarantineMatches(finding, planted, quarantined));
            }

            checks.Add(await PlantedRowsAsync(connection, finding, planted, cancellationToken));
        }

        return checks;
    }

    private static VerificationCheck QuarantineMatches(ForeignKeyFinding finding, ManifestFinding planted, IReadOnlyList<QuarantinedRow> quarantined)
    {
        var expected = planted.Planted
            .Where(p => p.ExpectedAction != ExpectedAction.Leave)
            .ToDictionary(p => p.Id, p => (Action: ActionName(p.ExpectedAction), p.Value));
        var actual = quarantined
            .Where(q => q.Table == finding.SourceTable && q.Column == finding.SourceColumn)
            .ToDictionary(q => q.RowId, q => (q.Action, Value: q.OldValue));
        var missing = expected.Keys.Except(actual.Keys).Order().ToList();
        var extra = actual.Keys.Except(expected.Keys).Order().ToList();
        var differing = expected.Keys.Intersect(actual.Keys).Where(id => expected[id] != actual[id]).Order().ToList();
        var holds = missing.Count == 0 && extra.Count == 0 && differing.Count == 0;
        var detail = holds
            ? $"{actual.Count} rows, same ids, actions and old values as planted"
            : $"{expected.Count} expected, {actual.Count} quarantined; not quarantined: {Ids(missing)}; not planted: {Ids(extra)}; other action or value: {Ids(differing)}";
        return VerificationCheck.Expect(holds, "quarantine", $"quarantine of {finding.SourceTable}.{finding.SourceColumn} equals the manifest", detail);
    }

    private static async Task<VerificationCheck> PlantedRowsAsync(NpgsqlConnection connection, ForeignKeyFinding finding, ManifestFinding planted, CancellationToken cancellationToken)
    {
        var current = new Dictionary<long, string?>();
        await using (var command = new NpgsqlCommand(
            $"SELECT id, \"{finding.SourceColumn}\"::text FROM \"{finding.SourceTable}\" WHERE id = ANY($1)", connection))
        {
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. planted.Planted.Select(p => p.Id)] });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                current[reader.GetInt64(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
        }

        var wrong = planted.Planted.Where(p => p.ExpectedAction switch
        {
            ExpectedAction.Delete => current.ContainsKey(p.Id),
            ExpectedAction.SetNull => !current.TryGetValue(p.Id, out var v) || v is not null,
            _ => !current.TryGetValue(p.Id, out var v) || v != p.Value,
        }).Select(p => p.Id).ToList();
        var counts = planted.Planted.GroupBy(p => p.ExpectedAction).OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {ActionName(g.Key)}");
        var kinds = string.Join(", ", planted.Planted.Select(p => p.OrphanKind).Distinct().Order().Select(k => JsonNamingPolicy.SnakeCaseLower.ConvertName(k.ToString())));
        return VerificationCheck.Expect(wrong.Count == 0, "untouched", $"planted rows of {finding.SourceTable}.{finding.SourceColumn} as the manifest expects",
            wrong.Count == 0
                ? $"{string.Join(", ", counts)} ({kinds})"
                : $"{wrong.Count} of {planted.Planted.Count} rows not as expected: {Ids(wrong)}");
    }

    private static string ActionName(ExpectedAction action) => action switch
    {
        ExpectedAction.Delete => "delete",
        ExpectedAction.SetNull => "set_null",
        _ => "leave",
    };

    private static string Ids(List<long> ids) =>
        ids.Count == 0 ? "none" : string.Join(", ", ids.Take(10)) + (ids.Count > 10 ? $" and {ids.Count - 10} more" : "");
}
