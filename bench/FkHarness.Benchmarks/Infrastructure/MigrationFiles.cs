namespace FkHarness.Benchmarks.Infrastructure;

/// <summary>The SQL files as shipped beside the migrator (and so beside this benchmark).</summary>
internal static class MigrationFiles
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "migrations");

    public static string Baseline => Path.Combine(Directory, "baseline", "000_pre_fix_schema.sql");

    public static string Up025 => Path.Combine(Directory, "025_add_missing_text_fk_constraints.up.sql");

    public static string Up026 => Path.Combine(Directory, "026_add_array_fk_validation.up.sql");
}
