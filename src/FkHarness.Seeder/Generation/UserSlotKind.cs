namespace FkHarness.Seeder.Generation;

/// <summary>What became of one position in the users table's id sequence.</summary>
internal enum UserSlotKind
{
    /// <summary>A person with a <c>usr_</c> id: the only kind a TEXT reference may point at.</summary>
    Person,

    /// <summary>A service account: a row with an id but a NULL <c>user_id</c> (legal in the legacy schema).</summary>
    ServiceAccount,

    /// <summary>A deleted user: a gap in the id sequence, whose id and user_id live on only in orphans.</summary>
    Deleted,
}
