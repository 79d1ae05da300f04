namespace FkHarness.Seeder.Manifest;

/// <summary>What the fix (025 up, 026 up) must do to a planted row.</summary>
public enum ExpectedAction
{
    /// <summary>025 deletes the row (orphan of a required TEXT FK) after quarantining it.</summary>
    Delete,

    /// <summary>025 sets the value to NULL (orphan of a nullable TEXT FK) after quarantining it.</summary>
    SetNull,

    /// <summary>Nothing touches the row: legal values, array rows (026 changes no data), external ids.</summary>
    Leave,
}
