namespace FkHarness.Rehearsal.Afterwards;

/// <summary>What one of fkdb's commands asks the migrator for.</summary>
internal enum DatabaseCommandKind
{
    /// <summary>down --to the migration before: it goes (and any newer one first).</summary>
    RollBack,

    /// <summary>up: every migration of the set that is not applied.</summary>
    Reapply,

    /// <summary>024 alone: reads, changes nothing.</summary>
    Audit,
}
