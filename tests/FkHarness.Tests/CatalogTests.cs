using FkHarness.Catalog;

namespace FkHarness.Tests;

public sealed class CatalogTests
{
    [Fact]
    public void Catalog_HoldsThePlansFifteenFindings()
    {
        var catalog = ForeignKeyCatalog.LoadEmbedded();

        Assert.Equal(15, catalog.Findings.Count);
        Assert.Equal(9, catalog.TextForeignKeys.Count());
        Assert.Equal(4, catalog.ArrayForeignKeys.Count());
        Assert.Equal(2, catalog.ExternalIds.Count());
    }

    [Fact]
    public void TextForeignKeys_UsePostgresDefaultConstraintNames()
    {
        foreach (var finding in ForeignKeyCatalog.LoadEmbedded().TextForeignKeys)
        {
            Assert.Equal($"{finding.SourceTable}_{finding.SourceColumn}_fkey", finding.ConstraintName);
            Assert.Equal(("users", "user_id"), (finding.TargetTable, finding.TargetColumn));
        }
    }
}
