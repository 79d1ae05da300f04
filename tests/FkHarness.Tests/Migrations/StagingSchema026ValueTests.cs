using FkHarness.Catalog;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Migrations;

/// <summary>
/// 026 on a staging-shaped database, values: multi-dimensional arrays, non-default lower bounds,
/// NULL elements anywhere and huge arrays, on INSERT and on UPDATE, written by the least-privilege writer.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class StagingSchema026ValueTests(PostgresFixture fixture)
{
    public static TheoryData<int> ArrayFindings => new(ForeignKeyCatalog.LoadEmbedded().ArrayForeignKeys.Select(f => f.Id));

    private static string UpdateSql(ForeignKeyFinding finding, string array) =>
        $"UPDATE public.{finding.SourceTable} SET {finding.SourceColumn} = {array} WHERE id = (SELECT max(id) FROM public.{finding.SourceTable})";

    private async Task<StagingSchema026Database> MigratedAsync()
    {
        var staging = await StagingSchema026Database.CreateAsync(fixture);
        await staging.UpAsOwnerAsync();
        return staging;
    }

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task MultiDimensionalArrays_HaveEveryElementChecked_OnInsertAndUpdate(int findingId)
    {
        var finding = ArrayForeignKeyTests.Finding(findingId);
        await using var staging = await MigratedAsync();

        await staging.ExecuteAsAsync(staging.Writer, ArrayForeignKeyTests.InsertSql(finding, "'{{1,2},{3,1}}'"));
        await staging.ExecuteAsAsync(staging.Writer, UpdateSql(finding, "'{{2,2},{3,3}}'"));
        var insert = await staging.RejectedAsAsync(staging.Writer, ArrayForeignKeyTests.InsertSql(finding, "'{{1,2},{3,999999}}'"));
        var update = await staging.RejectedAsAsync(staging.Writer, UpdateSql(finding, "'{{1,2},{888888,3}}'"));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, insert.SqlState);
        Assert.Contains(": 999999", insert.MessageText);
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, update.SqlState);
        Assert.Contains(": 888888", update.MessageText);
        Assert.Equal(1L, await staging.ScalarAsync<long>($"SELECT count(*) FROM public.{finding.SourceTable} WHERE {finding.SourceColumn} = '{{{{2,2}},{{3,3}}}}'"));
    }

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task ArraysWithANonDefaultLowerBound_AreCheckedLikeAnyOther(int findingId)
    {
        var finding = ArrayForeignKeyTests.Finding(findingId);
        await using var staging = await MigratedAsync();

        await staging.ExecuteAsAsync(staging.Writer, ArrayForeignKeyTests.InsertSql(finding, "'[0:1]={1,2}'"));
        await staging.ExecuteAsAsync(staging.Writer, UpdateSql(finding, "'[-5:-4]={3,1}'"));
        var insert = await staging.RejectedAsAsync(staging.Writer, ArrayForeignKeyTests.InsertSql(finding, "'[7:8]={1,999999}'"));
        var update = await staging.RejectedAsAsync(staging.Writer, UpdateSql(finding, "'[2:3]={888888,1}'"));

        Assert.Contains(": 999999", insert.MessageText);
        Assert.Contains(": 888888", update.MessageText);
        Assert.Equal("[-5:-4]={3,1}", await staging.ScalarAsync<string>($"SELECT {finding.SourceColumn}::text FROM public.{finding.SourceTable} WHERE id = (SELECT max(id) FROM public.{finding.SourceTable})"));
    }

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task NullElements_AreRejectedWhereverTheyAre(int findingId)
    {
        var finding = ArrayForeignKeyTests.Finding(findingId);
        await using var staging = await MigratedAsync();
        await staging.ExecuteAsAsync(staging.Writer, ArrayForeignKeyTests.InsertSql(finding, "'{1}'"));

        foreach (var array in new[] { "'{{1,2},{NULL,3}}'", "'[3:4]={NULL,1}'", "'{NULL}'" })
        {
            var insert = await staging.RejectedAsAsync(staging.Writer, ArrayForeignKeyTests.InsertSql(finding, array));
            var update = await staging.RejectedAsAsync(staging.Writer, UpdateSql(finding, array));
            Assert.Contains("NULL elements are not allowed", insert.MessageText);
            Assert.Contains("NULL elements are not allowed", update.MessageText);
        }
    }

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task DuplicatesAndEmptyArrays_AreAccepted_OnUpdateToo(int findingId)
    {
        var finding = ArrayForeignKeyTests.Finding(findingId);
        await using var staging = await MigratedAsync();
        await staging.ExecuteAsAsync(staging.Writer, ArrayForeignKeyTests.InsertSql(finding, "'{1,1,1}'"));

        await staging.ExecuteAsAsync(staging.Writer, UpdateSql(finding, "'{}'"));
        await staging.ExecuteAsAsync(staging.Writer, UpdateSql(finding, "'{3,3,2,3}'"));

        Assert.Equal("{3,3,2,3}", await staging.ScalarAsync<string>($"SELECT {finding.SourceColumn}::text FROM public.{finding.SourceTable} WHERE id = (SELECT max(id) FROM public.{finding.SourceTable})"));
    }

    [Fact]
    public async Task AHugeArray_IsCheckedWhole_AndItsRejectionListsTwentyIdsAndHowManyInAll()
    {
        await using var staging = await MigratedAsync();

        await staging.ExecuteAsAsync(staging.Writer, "INSERT INTO public.deployment_approvals (deployment_id, approved_by) SELECT 1, array_agg(1 + g % 3) FROM generate_series(1, 200000) AS g");
        var error = await staging.RejectedAsAsync(staging.Writer,
            "INSERT INTO public.deployment_approvals (deployment_id, approved_by) SELECT 1, array_agg(CASE WHEN g = 50000 THEN 2 ELSE 1000000 + g END) FROM generate_series(1, 100000) AS g");

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.EndsWith(": 1000001, 1000002, 1000003, 1000004, 1000005, 1000006, 1000007, 1000008, 1000009, 1000010, 1000011, 1000012, 1000013, 1000014, 1000015, 1000016, 1000017, 1000018, 1000019, 1000020 and 99979 more", error.MessageText, StringComparison.Ordinal);
        Assert.Contains("(99999 ids in all)", error.Detail);
        Assert.True(error.Detail!.Length < 400, error.Detail);
        Assert.Equal(1L, await staging.ScalarAsync<long>("SELECT count(*) FROM public.deployment_approvals WHERE cardinality(approved_by) = 200000"));
    }
}
