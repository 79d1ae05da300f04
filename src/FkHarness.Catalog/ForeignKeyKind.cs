namespace FkHarness.Catalog;

/// <summary>What kind of relationship a finding of the plan is, and so what the fix does to it.</summary>
public enum ForeignKeyKind
{
    /// <summary>TEXT column, NOT NULL, to users.user_id: 025 deletes orphan rows.</summary>
    TextFkRequired,

    /// <summary>TEXT column, nullable, to users.user_id: 025 sets orphan values to NULL.</summary>
    TextFkNullable,

    /// <summary>BIGINT[] column whose elements reference an id: 026 guards it with triggers.</summary>
    ArrayFk,

    /// <summary>An id from an external system: no FK on purpose, must be left untouched.</summary>
    ExternalId,
}
