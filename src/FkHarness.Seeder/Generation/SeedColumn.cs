using NpgsqlTypes;

namespace FkHarness.Seeder.Generation;

/// <summary>A column the seeder writes: its name, PostgreSQL type (<c>udt_name</c>), nullability, and how Npgsql sends it.</summary>
internal sealed record SeedColumn(string Name, string PostgresType, bool Nullable, NpgsqlDbType DbType)
{
    public static SeedColumn Id() => new("id", "int8", false, NpgsqlDbType.Bigint);
    public static SeedColumn Bigint(string name, bool nullable = false) => new(name, "int8", nullable, NpgsqlDbType.Bigint);
    public static SeedColumn Integer(string name) => new(name, "int4", false, NpgsqlDbType.Integer);
    public static SeedColumn Text(string name, bool nullable = false) => new(name, "text", nullable, NpgsqlDbType.Text);
    public static SeedColumn Jsonb(string name) => new(name, "jsonb", false, NpgsqlDbType.Jsonb);
    public static SeedColumn Boolean(string name) => new(name, "bool", false, NpgsqlDbType.Boolean);
    public static SeedColumn Numeric(string name) => new(name, "numeric", false, NpgsqlDbType.Numeric);
    public static SeedColumn Timestamp(string name, bool nullable = false) => new(name, "timestamptz", nullable, NpgsqlDbType.TimestampTz);
    public static SeedColumn BigintArray(string name, bool nullable = false) => new(name, "_int8", nullable, NpgsqlDbType.Array | NpgsqlDbType.Bigint);
}
