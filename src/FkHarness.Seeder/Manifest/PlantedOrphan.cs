namespace FkHarness.Seeder.Manifest;

/// <summary>
/// One planted row of one relationship: its primary key, what was planted, the value exactly as
/// stored (an array in PostgreSQL's text form, <c>{1,NULL,7}</c>; null for SQL NULL), and what the
/// fix must do to it.
/// </summary>
public sealed record PlantedOrphan(long Id, OrphanKind OrphanKind, string? Value, ExpectedAction ExpectedAction)
{
    public bool IsOrphan => OrphanKinds.IsOrphan(OrphanKind);
}
