using FkHarness.Catalog;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Migrations;

/// <summary>026: the four BIGINT[] columns behave like foreign keys, from both sides.</summary>
[Collection(PostgresTests.Name)]
public sealed class ArrayForeignKeyTests(PostgresFixture fixture)
{
    public static TheoryData<int> ArrayFindings => new(ForeignKeyCatalog.LoadEmbedded().ArrayForeignKeys.Select(f => f.Id));

    internal static ForeignKeyFinding Finding(int id) => ForeignKeyCatalog.LoadEmbedded().Findings.Single(f => f.Id == id);

    // Users 1-3 and alert conditions 1-3 exist; id 999999 exists in neither.
    internal const string Targets = """
        INSERT INTO users (id, user_id, email, display_name) SELECT g, 'usr_' || g, g || '@example.com', 'User ' || g FROM generate_series(1, 3) AS g;
        INSERT INTO alert_conditions (id, name, metric, comparison, threshold) SELECT g, 'cond ' || g, 'cpu', '>', 90 FROM generate_series(1, 3) AS g;
        INSERT INTO deployments (id, service_name, environment, version) VALUES (1, 'api', 'staging', '1.0.0');
        INSERT INTO alert_condition_groups (id, name, condition_ids) VALUES (1, 'base group', '{1}');
        SELECT setval(pg_get_serial_sequence(t, 'id'), 100)
        FROM unnest(ARRAY['users', 'alert_conditions', 'deployments', 'alert_condition_groups']) AS t;
        """;

    internal static string InsertSql(ForeignKeyFinding finding, string array) => finding.SourceTable switch
    {
        "deployment_approvals" => $"INSERT INTO deployment_approvals (deployment_id, approved_by) VALUES (1, {array})",
        "alert_escalations" => $"INSERT INTO alert_escalations (condition_group_id, level, user_ids) VALUES (1, 1, {array})",
        "approval_rules" => $"INSERT INTO approval_rules (name, environment, allowed_approvers) VALUES ('prod rule', 'production', {array})",
        "alert_condition_groups" => $"INSERT INTO alert_condition_groups (name, condition_ids) VALUES ('cpu group', {array})",
        _ => throw new ArgumentOutOfRangeException(nameof(finding)),
    };

    private async Task<TestDatabase> MigratedAsync()
    {
        var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync(Targets);
        await FixMigrations.UpAsync(database);
        return database;
    }

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task Insert_WithAnUnknownId_IsRejectedWith23503_NamingTheId(int findingId)
    {
        var finding = Finding(findingId);
        await using var database = await MigratedAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync(InsertSql(finding, "'{1,999999,2}'")));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Contains(finding.ErrorMessage!, error.MessageText);
        Assert.Contains("999999", error.Detail);
        Assert.DoesNotContain("{1,", error.Detail);
    }

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task Insert_OfManyRows_RejectsTheStatementIfAnyRowIsInvalid(int findingId)
    {
        var finding = Finding(findingId);
        await using var database = await MigratedAsync();
        var before = await database.ScalarAsync<long>($"SELECT count(*) FROM {finding.SourceTable}");
        var twoRows = InsertSql(finding, "'{1}'") + ", " + InsertSql(finding, "'{424242}'")[(InsertSql(finding, "'{424242}'").IndexOf("VALUES", StringComparison.Ordinal) + 7)..];

        var error = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync(twoRows));

        Assert.Contains("424242", error.MessageText);
        Assert.Equal(before, await database.ScalarAsync<long>($"SELECT count(*) FROM {finding.SourceTable}"));
    }

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task Insert_ValidArrays_EmptyArrays_AndDuplicates_AreAccepted(int findingId)
    {
        var finding = Finding(findingId);
        await using var database = await MigratedAsync();

        await database.ExecuteAsync(InsertSql(finding, "'{1,2,3}'"));
        await database.ExecuteAsync(InsertSql(finding, "'{}'"));
        await database.ExecuteAsync(InsertSql(finding, "'{2,2,3}'"));
    }

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task Insert_WithANullElement_IsRejected(int findingId)
    {
        var finding = Finding(findingId);
        await using var database = await MigratedAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync(InsertSql(finding, "'{1,NULL}'")));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Contains("NULL elements are not allowed", error.MessageText);
    }

    [Fact]
    public async Task Insert_OfANullArray_IsAcceptedWhereTheColumnIsNullable()
    {
        await using var database = await MigratedAsync();

        await database.ExecuteAsync(InsertSql(Finding(11), "NULL"));
    }

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task Update_ToAnUnknownId_IsRejected(int findingId)
    {
        var finding = Finding(findingId);
        await using var database = await MigratedAsync();
        await database.ExecuteAsync(InsertSql(finding, "'{1}'"));

        var error = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync(
            $"UPDATE {finding.SourceTable} SET {finding.SourceColumn} = '{{1,777}}' WHERE id = (SELECT max(id) FROM {finding.SourceTable})"));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Contains(finding.ErrorMessage!, error.MessageText);
        Assert.Contains("777", error.Detail);
    }

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task Update_OfOtherColumns_OnALegacyInvalidRow_DoesNotFireTheCheck(int findingId)
    {
        var finding = Finding(findingId);
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync(Targets);
        await database.ExecuteAsync(InsertSql(finding, "'{1,555}'"));  // before 026: legacy bad data
        await FixMigrations.UpAsync(database);

        await database.ExecuteAsync($"UPDATE {finding.SourceTable} SET created_at = now() WHERE {finding.SourceColumn} = '{{1,555}}'");

        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM {finding.SourceTable} WHERE {finding.SourceColumn} = '{{1,555}}'"));
    }

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task Delete_OfAReferencedTarget_IsRejected_AndOfAnUnreferencedOne_Allowed(int findingId)
    {
        var finding = Finding(findingId);
        await using var database = await MigratedAsync();
        await database.ExecuteAsync(InsertSql(finding, "'{2}'"));
        if (finding.SourceTable == "alert_condition_groups")
        {
            await database.ExecuteAsync("UPDATE alert_condition_groups SET condition_ids = '{2}' WHERE id = 1");
        }

        var error = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync($"DELETE FROM {finding.TargetTable} WHERE id = 2"));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Contains($"{finding.SourceTable}.{finding.SourceColumn}", error.Detail);

        var rekey = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync($"UPDATE {finding.TargetTable} SET id = 20 WHERE id = 2"));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, rekey.SqlState);

        await database.ExecuteAsync($"DELETE FROM {finding.TargetTable} WHERE id = 3");
    }

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task Truncate_OfAReferencedTarget_IsRejected_UnlessItsArrayTablesGoInTheSameStatement(int findingId)
    {
        // TRUNCATE fires no DELETE trigger; a native FK refuses it unless the referencing table goes too.
        var finding = Finding(findingId);
        await using var database = await MigratedAsync();
        await database.ExecuteAsync(InsertSql(finding, "'{2}'"));

        var error = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync($"TRUNCATE {finding.TargetTable} CASCADE"));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Contains($"{finding.SourceTable}.{finding.SourceColumn}", error.MessageText);
        Assert.Equal(3L, await database.ScalarAsync<long>($"SELECT count(*) FROM {finding.TargetTable}"));

        var arrayTables = ForeignKeyCatalog.LoadEmbedded().ArrayForeignKeys
            .Where(f => f.TargetTable == finding.TargetTable)
            .Select(f => f.SourceTable);
        await database.ExecuteAsync($"TRUNCATE {finding.TargetTable}, {string.Join(", ", arrayTables)} CASCADE");
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM {finding.TargetTable}"));
    }

    [Fact]
    public async Task Insert_CheckIsNotJitCompiled_EvenWhenItsCachedPlanWasFirstMadeForABulkInsert()
    {
        // PL/pgSQL keeps the check's plan for the session, JIT decision included, and a transition
        // table is estimated at its real size: a bulk first INSERT used to make every later
        // single-row INSERT on the connection pay a JIT compilation (milliseconds each).
        await using var database = await MigratedAsync();
        await using var connection = await database.OpenAsync();
        var plans = new List<string>();
        connection.Notice += (_, e) => plans.Add(e.Notice.MessageText);
        await using (var setup = new NpgsqlCommand(
            """
            LOAD 'auto_explain';
            SET auto_explain.log_min_duration = 0;
            SET auto_explain.log_nested_statements = on;
            SET auto_explain.log_analyze = on;
            SET auto_explain.log_level = notice;
            SET client_min_messages = notice;
            SET jit_above_cost = 0;
            """, connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        foreach (var sql in new[]
        {
            "INSERT INTO deployment_approvals (deployment_id, approved_by) SELECT 1, ARRAY[1 + g % 3, 1 + (g + 1) % 3] FROM generate_series(1, 5000) AS g",
            "INSERT INTO deployment_approvals (deployment_id, approved_by) VALUES (1, '{1,2}')",
        })
        {
            await using var insert = new NpgsqlCommand(sql, connection);
            await insert.ExecuteNonQueryAsync();
        }

        var checks = plans.Where(p => p.Contains("new_rows", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, checks.Count);
        Assert.All(checks, plan => Assert.DoesNotContain("JIT:", plan, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Down_RemovesEveryTriggerAndLetsBadArraysIn()
    {
        await using var database = await MigratedAsync();

        await FixMigrations.DownAsync(database, to: "025");

        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'trg_check_%'"));
        foreach (var finding in ForeignKeyCatalog.LoadEmbedded().ArrayForeignKeys)
        {
            await database.ExecuteAsync(InsertSql(finding, "'{999999}'"));
        }
    }
}
