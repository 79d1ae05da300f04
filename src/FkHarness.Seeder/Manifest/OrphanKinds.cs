using FkHarness.Catalog;

namespace FkHarness.Seeder.Manifest;

/// <summary>Which kinds apply to which relationship, and which of them are orphans.</summary>
public static class OrphanKinds
{
    public static bool IsOrphan(OrphanKind kind) => kind is
        OrphanKind.DeletedUser or OrphanKind.Typo or OrphanKind.CaseVariant or
        OrphanKind.WhitespaceVariant or OrphanKind.EmptyString or
        OrphanKind.MixedArray or OrphanKind.AllInvalidArray or OrphanKind.NullElement;

    /// <summary>The kinds the seeder plants for a finding, in a fixed order.</summary>
    public static IReadOnlyList<OrphanKind> For(ForeignKeyFinding finding, bool columnIsNullable) => finding.Kind switch
    {
        ForeignKeyKind.TextFkRequired or ForeignKeyKind.TextFkNullable => columnIsNullable
            ? [.. TextOrphans, OrphanKind.NullValue]
            : TextOrphans,
        ForeignKeyKind.ArrayFk => columnIsNullable
            ? [.. ArrayKinds, OrphanKind.NullArray]
            : ArrayKinds,
        ForeignKeyKind.ExternalId => [OrphanKind.ExternalId],
        _ => throw new ArgumentOutOfRangeException(nameof(finding), finding.Kind, "Unknown finding kind."),
    };

    /// <summary>What 025/026 must do to a planted row: orphans of required FKs go, of nullable ones are nulled; the rest stays.</summary>
    public static ExpectedAction ActionFor(OrphanKind kind, ForeignKeyFinding finding)
    {
        if (!IsOrphan(kind) || !finding.IsTextForeignKey)
        {
            return ExpectedAction.Leave;
        }

        return finding.Kind == ForeignKeyKind.TextFkRequired ? ExpectedAction.Delete : ExpectedAction.SetNull;
    }

    private static readonly OrphanKind[] TextOrphans =
    [
        OrphanKind.DeletedUser, OrphanKind.Typo, OrphanKind.CaseVariant,
        OrphanKind.WhitespaceVariant, OrphanKind.EmptyString,
    ];

    private static readonly OrphanKind[] ArrayKinds =
    [
        OrphanKind.MixedArray, OrphanKind.AllInvalidArray, OrphanKind.NullElement,
        OrphanKind.EmptyArray, OrphanKind.DuplicateElements,
    ];
}
