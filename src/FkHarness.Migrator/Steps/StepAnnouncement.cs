using System.Text.Json;
using Npgsql;

namespace FkHarness.Migrator.Steps;

/// <summary>
/// What a script says about one of its steps inside a procedure, as
/// <c>RAISE DEBUG 'fkharness-step %', json_build_object(...)</c>: at its start, and after its
/// COMMIT at its end, with the rows it changed, how many tries its lock took and the table locks
/// its transaction held (read just before that COMMIT, as [relation oid, mode] pairs). DEBUG, so
/// psql and the server log show nothing (client_min_messages and log_min_messages are above it);
/// the migrator's script session asks for them.
/// </summary>
internal sealed record StepAnnouncement(bool IsEnd, string Step, string Table, string Column, int? Batch, long? Rows, int? Attempts, IReadOnlyList<(uint Relation, string Mode)> Locks, long Received)
{
    public const string Prefix = "fkharness-step ";

    public static bool IsAnnouncement(PostgresNotice notice) => notice.MessageText.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The announcement in <paramref name="notice"/>, received at <paramref name="received"/> (ticks); null for any other notice or one it cannot read.</summary>
    public static StepAnnouncement? TryParse(PostgresNotice notice, long received)
    {
        if (!IsAnnouncement(notice))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(notice.MessageText.AsMemory(Prefix.Length));
            var root = json.RootElement;
            List<(uint, string)> locks = [];
            if (root.TryGetProperty("locks", out var held) && held.ValueKind == JsonValueKind.Array)
            {
                // An oid is a JSON number in json_build_array's output; read a string too.
                locks.AddRange(held.EnumerateArray().Select(l => (
                    l[0].ValueKind == JsonValueKind.String ? uint.Parse(l[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture) : l[0].GetUInt32(),
                    l[1].GetString() ?? "")));
            }

            return new StepAnnouncement(
                root.GetProperty("event").GetString() == "end",
                root.GetProperty("step").GetString() ?? "",
                root.GetProperty("table").GetString() ?? "",
                root.TryGetProperty("column", out var column) ? column.GetString() ?? "" : "",
                Number(root, "batch") is { } batch ? (int)batch : null,
                Number(root, "rows"),
                Number(root, "attempts") is { } attempts ? (int)attempts : null,
                locks,
                received);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static long? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}
