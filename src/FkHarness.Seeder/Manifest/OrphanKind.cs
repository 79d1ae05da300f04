namespace FkHarness.Seeder.Manifest;

/// <summary>
/// What the seeder planted in one row. Whether it is an orphan follows the definitions the audit
/// and the migrations use: a TEXT value is an orphan iff it is NOT NULL and equals no
/// <c>users.user_id</c> exactly; an array row is an orphan iff it holds a NULL element or an
/// element that is not an existing target id.
/// </summary>
public enum OrphanKind
{
    // TEXT references to users.user_id: orphans.

    /// <summary>The user_id of an account that no longer exists.</summary>
    DeletedUser,

    /// <summary>A real user_id mistyped: a character dropped or doubled, a wrong separator.</summary>
    Typo,

    /// <summary>A real user_id in another case (<c>USR_ABC…</c>): equality is exact, so no match.</summary>
    CaseVariant,

    /// <summary>A real user_id with leading or trailing whitespace.</summary>
    WhitespaceVariant,

    /// <summary>The empty string: NOT NULL, matches nothing.</summary>
    EmptyString,

    // TEXT references: legal.

    /// <summary>NULL in a nullable column: legal, must survive.</summary>
    NullValue,

    // BIGINT[] references: orphan rows.

    /// <summary>Valid ids and at least one id with no target row.</summary>
    MixedArray,

    /// <summary>Only ids with no target row.</summary>
    AllInvalidArray,

    /// <summary>Valid ids and a NULL element.</summary>
    NullElement,

    // BIGINT[] references: legal.

    /// <summary><c>'{}'</c>: references nobody, legal.</summary>
    EmptyArray,

    /// <summary>Valid ids, one of them twice: legal.</summary>
    DuplicateElements,

    /// <summary>A NULL array in a nullable column: legal.</summary>
    NullArray,

    // External ids: never orphans, never touched.

    /// <summary>An external id that matches nothing in the database, on purpose.</summary>
    ExternalId,
}
