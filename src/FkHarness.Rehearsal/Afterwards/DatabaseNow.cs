using FkHarness.Catalog;
using FkHarness.Migrator.Audit;

namespace FkHarness.Rehearsal.Afterwards;

/// <summary>
/// What fkdb holds at one moment after the rehearsal, as the report shows it: the migrations the
/// journal has, the catalog's foreign keys and array triggers present, the rows still in
/// fk_fix.quarantine, and 024's orphan counts.
/// </summary>
internal sealed record DatabaseNow
{
    public required DateTimeOffset ReadAt { get; init; }

    /// <summary>The versions the migrator's journal has as applied ("025", "026").</summary>
    public IReadOnlyList<string> Applied { get; init; } = [];

    /// <summary>The catalog's TEXT foreign keys present (pg_constraint), by name.</summary>
    public IReadOnlyList<string> ForeignKeys { get; init; } = [];

    /// <summary>Of those, the ones VALIDATEd.</summary>
    public IReadOnlyList<string> ValidatedForeignKeys { get; init; } = [];

    /// <summary>The trg_check_* triggers present (026's: on the array columns and on the tables they reference), by name.</summary>
    public IReadOnlyList<string> Triggers { get; init; } = [];

    /// <summary>Rows and values in fk_fix.quarantine (025's cleanup not given back); 0 when the table is gone.</summary>
    public long QuarantinedRows { get; init; }

    /// <summary>024 as it ran then; null when it could not run.</summary>
    public AuditResult? Audit { get; init; }

    /// <summary>How many foreign keys the catalog has 025 add.</summary>
    public static int ExpectedForeignKeys(ForeignKeyCatalog catalog) => catalog.TextForeignKeys.Count();
}
