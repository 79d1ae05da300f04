namespace FkHarness.Benchmarks.TriggerCost.Instructions;

/// <summary>
/// One way of checking deployment_approvals' INSERTs (or the native FK's twin), as the SQL lines
/// that switch it on before a measured run. Every variant turns the others off first.
/// </summary>
internal sealed record CheckVariant(string Name, string Table, IReadOnlyList<string> Switch)
{
    public const string Floor1 = "bench_floor_first";
    public const string FloorUnrolled3 = "bench_floor_unrolled_3";
    public const string FloorAny = "bench_floor_any";
    public const string Floor1With026Settings = "bench_floor_first_026";
    public const string FloorAnyWith026Settings = "bench_floor_any_026";

    private static readonly string[] FloorTriggers = [Floor1, FloorUnrolled3, FloorAny, Floor1With026Settings, FloorAnyWith026Settings];

    public static CheckVariant None { get; } = Array("no check", null, false);

    public static CheckVariant Check026 { get; } = Array("026's check", null, true);

    public static CheckVariant Floor(string trigger, string name) => Array(name, trigger, false);

    public static CheckVariant Native { get; } = new("native FK", "bench_native_approvals", []);

    public static CheckVariant Plain { get; } = new("no FK", "bench_plain_approvals", []);

    private static CheckVariant Array(string name, string? floor, bool check026) => new(name, "deployment_approvals",
    [
        $"ALTER TABLE deployment_approvals {(check026 ? "ENABLE" : "DISABLE")} TRIGGER {InsertShape.InsertTrigger}",
        .. FloorTriggers.Select(t => $"ALTER TABLE deployment_approvals {(t == floor ? "ENABLE" : "DISABLE")} TRIGGER {t}"),
    ]);
}
