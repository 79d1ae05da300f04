using FkHarness.Catalog;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Migrations;

/// <summary>
/// 026's INSERT check decides per row whether the row's array is contained in the ids it found and
/// locked; a statement of one row, a statement of many and a COPY go through the same check and
/// must accept and reject the same arrays, the same way: same SQLSTATE, message, detail and hint.
/// Every edge of the containment test is here: NULL elements, missing ids with and without NULLs,
/// duplicates, empty arrays, multi-dimensional arrays.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class ArrayForeignKeyStatementShapeTests(PostgresFixture fixture)
{
    public static TheoryData<int> ArrayFindings => new(ForeignKeyCatalog.LoadEmbedded().ArrayForeignKeys.Select(f => f.Id));

    // Ids 1-3 exist in users and alert_conditions; 999998 and 999999 in neither.
    private static readonly string[] Accepted = ["{1,2,3}", "{}", "{2,2,3}", "{{1,2},{3,1}}"];

    private static readonly string[] Rejected =
    [
        "{1,999999,2}", "{999999,999998,999999}", "{1,NULL}", "{NULL}", "{999999,NULL,999998}", "{{1,999999},{NULL,3}}",
    ];

    private const string Targets = """
        INSERT INTO users (id, user_id, email, display_name) SELECT g, 'usr_' || g, g || '@example.com', 'User ' || g FROM generate_series(1, 3) AS g;
        INSERT INTO alert_conditions (id, name, metric, comparison, threshold) SELECT g, 'cond ' || g, 'cpu', '>', 90 FROM generate_series(1, 3) AS g;
        INSERT INTO deployments (id, service_name, environment, version) VALUES (1, 'api', 'staging', '1.0.0');
        INSERT INTO alert_condition_groups (id, name, condition_ids) VALUES (1, 'base group', '{1}');
        SELECT setval(pg_get_serial_sequence(t, 'id'), 100)
        FROM unnest(ARRAY['users', 'alert_conditions', 'deployments', 'alert_condition_groups']) AS t;
        """;

    /// <summary>The columns of an INSERT or COPY into the finding's table, and the values before its array.</summary>
    private static (string Columns, string[] Values) Shape(ForeignKeyFinding finding) => finding.SourceTable switch
    {
        "deployment_approvals" => ("deployment_id, approved_by", ["1"]),
        "alert_escalations" => ("condition_group_id, level, user_ids", ["1", "1"]),
        "approval_rules" => ("name, environment, allowed_approvers", ["prod rule", "production"]),
        "alert_condition_groups" => ("name, condition_ids", ["cpu group"]),
        _ => throw new ArgumentOutOfRangeException(nameof(finding)),
    };

    private static string Row(ForeignKeyFinding finding, string array) =>
        $"({string.Join(", ", Shape(finding).Values.Select(v => $"'{v}'").Append($"'{array}'"))})";

    private static string OneRow(ForeignKeyFinding finding, string array) =>
        $"INSERT INTO {finding.SourceTable} ({Shape(finding).Columns}) VALUES {Row(finding, array)}";

    // The array among valid rows, not first and not last.
    private static string ManyRows(ForeignKeyFinding finding, string array) =>
        $"INSERT INTO {finding.SourceTable} ({Shape(finding).Columns}) VALUES {string.Join(", ", new[] { "{1}", "{2,3}", array, "{3}", "{}" }.Select(a => Row(finding, a)))}";

    private static async Task CopyAsync(TestDatabase database, ForeignKeyFinding finding, string array)
    {
        await using var connection = await database.OpenAsync();
        await using (var writer = await connection.BeginTextImportAsync($"COPY {finding.SourceTable} ({Shape(finding).Columns}) FROM STDIN"))
        {
            foreach (var a in new[] { "{1}", array, "{2}" })
            {
                await writer.WriteLineAsync(string.Join('\t', Shape(finding).Values.Append(a)));
            }
        }
    }

    private async Task<TestDatabase> MigratedAsync()
    {
        var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync(Targets);
        await FixMigrations.UpAsync(database);
        return database;
    }

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task OneRow_ManyRows_AndCopy_AcceptTheSameArrays(int findingId)
    {
        var finding = ForeignKeyCatalog.LoadEmbedded().Findings.Single(f => f.Id == findingId);
        await using var database = await MigratedAsync();
        var before = await database.ScalarAsync<long>($"SELECT count(*) FROM {finding.SourceTable}");

        foreach (var array in Accepted)
        {
            await database.ExecuteAsync(OneRow(finding, array));
            await database.ExecuteAsync(ManyRows(finding, array));
            await CopyAsync(database, finding, array);
        }

        Assert.Equal(before + Accepted.Length * (1 + 5 + 3), await database.ScalarAsync<long>($"SELECT count(*) FROM {finding.SourceTable}"));
    }

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task OneRow_ManyRows_AndCopy_RejectTheSameArrays_WithTheSameError(int findingId)
    {
        var finding = ForeignKeyCatalog.LoadEmbedded().Findings.Single(f => f.Id == findingId);
        await using var database = await MigratedAsync();
        var before = await database.ScalarAsync<long>($"SELECT count(*) FROM {finding.SourceTable}");

        foreach (var array in Rejected)
        {
            var one = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync(OneRow(finding, array)));
            var many = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync(ManyRows(finding, array)));
            var copy = await Assert.ThrowsAsync<PostgresException>(() => CopyAsync(database, finding, array));

            Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, one.SqlState);
            Assert.Contains(finding.ErrorMessage!, one.MessageText);
            Assert.Contains(array.Contains("999999", StringComparison.Ordinal) ? "999999" : "NULL", one.MessageText);
            foreach (var other in new[] { many, copy })
            {
                Assert.Equal((one.SqlState, one.MessageText, one.Detail, one.Hint), (other.SqlState, other.MessageText, other.Detail, other.Hint));
            }
        }

        Assert.Equal(before, await database.ScalarAsync<long>($"SELECT count(*) FROM {finding.SourceTable}"));
    }
}
