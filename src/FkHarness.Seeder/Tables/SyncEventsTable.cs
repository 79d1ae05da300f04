using System.Globalization;
using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Planting;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct SyncEventRow(long Id, string ClientId, string EventType, string Payload, DateTime ReceivedAt);

/// <summary>
/// Events from the mobile and desktop clients; a client id is the device's own id, not a reference
/// into this database (finding 15: external id, no FK by design). Busy devices send most events.
/// </summary>
internal sealed class SyncEventsTable : SeedTable<SyncEventRow>
{
    private static readonly string[] Platforms = ["ios", "android", "web", "desktop"];

    private readonly SeedContext _context;
    private readonly ExternalIdPlanter _planter;

    public SyncEventsTable(SeedContext context)
    {
        _context = context;
        _planter = context.ExternalIdPlanter(Name, "client_id");
    }

    public override string Name => "sync_events";

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Text("client_id"), SeedColumn.Text("event_type"), SeedColumn.Jsonb("payload"),
        SeedColumn.Timestamp("received_at"),
    ];

    protected override IEnumerable<SyncEventRow> Generate()
    {
        var random = _context.FakerFor(Name).Random;
        var count = _context.Plan.SyncEvents;
        var clock = _context.ClockKey(Name);
        var clients = Math.Max(10, count / 40);
        var clientKey = StableHash.Of((ulong)(uint)_context.Options.Seed, StableHash.Of("clients"));
        for (long id = 1; id <= count; id++)
        {
            var client = Skewed.Index(random, clients, skew: 2);
            var platform = Platforms[client % Platforms.Length];
            var eventType = Skewed.Pick(random, PlatformVocabulary.SyncEventTypes, skew: 1.6);
            var payload = string.Create(CultureInfo.InvariantCulture,
                $$"""{"seq": {{id}}, "platform": "{{platform}}", "app_version": "{{3 + (client % 3)}}.{{client % 11}}.{{random.Number(0, 9)}}", "latency_ms": {{random.Number(8, 2400)}}}""");
            var received = Timeline.Activity(id, count, clock);
            yield return new SyncEventRow(id, _planter.Apply(id, ClientId(clientKey, client, platform))!, eventType, payload, received);
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in SyncEventRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteText(row.ClientId);
        importer.WriteText(row.EventType);
        importer.WriteJsonb(row.Payload);
        importer.WriteTimestamp(row.ReceivedAt);
    }

    // Device ids as the clients report them: stable per device, shaped by platform.
    private static string ClientId(ulong key, int client, string platform)
    {
        var hash = StableHash.Of(key, (ulong)client);
        return platform + "-" + hash.ToString("x16", CultureInfo.InvariantCulture);
    }
}
