namespace FkHarness.Seeder;

public enum SeedStatus
{
    /// <summary>The data is loaded and committed.</summary>
    Seeded,

    /// <summary>The options are invalid (exit code 2); nothing was touched.</summary>
    InvalidOptions,

    /// <summary>The database is not one the seeder may write into; it is unchanged.</summary>
    Refused,

    /// <summary>Connection, schema or load failure; the transaction rolled back, the database is unchanged.</summary>
    Failed,
}
