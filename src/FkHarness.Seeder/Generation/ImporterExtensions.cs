using Npgsql;
using NpgsqlTypes;

namespace FkHarness.Seeder.Generation;

/// <summary>Typed writes with explicit PostgreSQL types, so Npgsql never has to infer (or guess wrong).</summary>
internal static class ImporterExtensions
{
    public static void WriteBigint(this NpgsqlBinaryImporter importer, long value) => importer.Write(value, NpgsqlDbType.Bigint);

    public static void WriteInteger(this NpgsqlBinaryImporter importer, int value) => importer.Write(value, NpgsqlDbType.Integer);

    public static void WriteBoolean(this NpgsqlBinaryImporter importer, bool value) => importer.Write(value, NpgsqlDbType.Boolean);

    public static void WriteNumeric(this NpgsqlBinaryImporter importer, decimal value) => importer.Write(value, NpgsqlDbType.Numeric);

    public static void WriteJsonb(this NpgsqlBinaryImporter importer, string json) => importer.Write(json, NpgsqlDbType.Jsonb);

    public static void WriteText(this NpgsqlBinaryImporter importer, string? value)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, NpgsqlDbType.Text);
        }
    }

    public static void WriteTimestamp(this NpgsqlBinaryImporter importer, DateTime? value)
    {
        if (value is { } time)
        {
            importer.Write(time, NpgsqlDbType.TimestampTz);
        }
        else
        {
            importer.WriteNull();
        }
    }

    public static void WriteBigintArray(this NpgsqlBinaryImporter importer, long?[]? value)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, NpgsqlDbType.Array | NpgsqlDbType.Bigint);
        }
    }
}
