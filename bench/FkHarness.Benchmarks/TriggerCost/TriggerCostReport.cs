using System.Globalization;
using FkHarness.Benchmarks.Infrastructure;
using FkHarness.Benchmarks.Reporting;

namespace FkHarness.Benchmarks.TriggerCost;

/// <summary>Scenario 3's cells reduced to per-id costs, the targets, and the section text.</summary>
internal sealed class TriggerCostReport(
    TriggerCostOptions options,
    IReadOnlyList<CellResult> cells,
    IReadOnlyDictionary<GuardVariant, List<Measurement>> deletes,
    GuardEvidence evidence)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public ScenarioReport Build(string command, MachineInfo machine) => new()
    {
        Key = TriggerCostScenario.Key,
        Title = "026 trigger cost",
        Command = command,
        Scale = string.Create(Invariant,
            $"{options.Users:N0} users; bulk: {options.BulkRows:N0} rows per run (one binary COPY, or INSERT … VALUES of {options.RowsPerInsert:N0} rows per statement); single-row: {options.SingleRows:N0} INSERTs per run from {options.Clients} concurrent connections (prepared, autocommit); arrays of {string.Join(", ", options.ArraySizes)} ids drawn uniformly from all users; {options.Repetitions} repetitions per cell, check on and off alternately, medians; guard: {options.GuardDeletes:N0} unreferenced users deleted in one statement"),
        Machine = machine,
        Date = DateTimeOffset.UtcNow,
        Tables = [Costs(), Raw(), Guard(), Plan()],
        Targets = Targets(),
        Notes =
        [
            "Added cost = (median time per row with the check − without) ÷ ids per row. The check is 026's INSERT trigger on deployment_approvals (enabled/disabled; its GIN index is there in both, so index upkeep is not counted as the check), or a native FK on the scalar twin table (added/dropped). Every run starts from an empty table (TRUNCATE).",
            "Server CPU = CPU time the PostgreSQL backends doing the inserts used (/proc/PID/schedstat), read before and after each run: what the check costs the server, and stable on a shared, busy machine where wall-clock time is not. The targets are judged on it; wall-clock figures are shown beside it.",
        ],
    };

    private CellResult? Native(InsertMethod method) => cells.SingleOrDefault(c => c.Method == method && !c.Shape.IsArray);

    private ReportTable Costs() => new(
        "Added cost of the check per referenced id (µs): array ids vs native FK rows",
        ["insert", "ids per row", "array: added server CPU per id", "native FK: added server CPU per row", "ratio", "array: added wall per id", "native FK: added wall per row"],
        cells.Where(c => c.Shape.IsArray).OrderBy(c => c.Method).ThenBy(c => c.Shape.IdsPerRow).Select(c =>
        {
            var native = Native(c.Method)!;
            return (IReadOnlyList<string>)
            [
                Describe(c.Method),
                c.Shape.IdsPerRow.ToString(Invariant),
                Us(c.AddedCpuPerId),
                Us(native.AddedCpuPerId),
                string.Create(Invariant, $"{c.AddedCpuPerId / native.AddedCpuPerId:0.00}"),
                Us(c.AddedWallPerId),
                Us(native.AddedWallPerId),
            ];
        }).ToList());

    private ReportTable Raw() => new(
        "Per row, check on / off (µs, medians)",
        ["insert", "rows", "shape", "server CPU on / off", "wall on / off"],
        cells.OrderBy(c => c.Method).ThenBy(c => c.Shape.IsArray ? c.Shape.IdsPerRow : 1000).Select(c => (IReadOnlyList<string>)
        [
            Describe(c.Method),
            c.Rows.ToString("N0", Invariant),
            c.Shape.Name,
            string.Create(Invariant, $"{c.CpuPerRowWith:0.0} / {c.CpuPerRowWithout:0.0}"),
            string.Create(Invariant, $"{c.WallPerRowWith:0.0} / {c.WallPerRowWithout:0.0}"),
        ]).ToList());

    private ReportTable Guard()
    {
        var none = deletes[GuardVariant.None];
        return new(
            string.Create(Invariant, $"Referenced side: DELETE of {options.GuardDeletes:N0} unreferenced users in one statement (medians of {none.Count})"),
            ["checks on the DELETE", "wall", "server CPU", "added server CPU per deleted user"],
            Enum.GetValues<GuardVariant>().Select(v => (IReadOnlyList<string>)
            [
                v switch
                {
                    GuardVariant.None => "026's guard disabled: no check",
                    GuardVariant.ArrayGuard => "026's guard: 200,000 deployment_approvals, 50,000 alert_escalations, 5,000 approval_rules rows",
                    _ => "guard disabled, plus for scale a native FK to users.id from a 100,000-row table, btree-indexed",
                },
                string.Create(Invariant, $"{Stats.Median(deletes[v].Select(m => m.Wall)).TotalMilliseconds:0.0} ms"),
                string.Create(Invariant, $"{Stats.Median(deletes[v].Select(m => m.ServerCpu)).TotalMilliseconds:0.0} ms"),
                v == GuardVariant.None ? "" : Us(AddedPerDelete(v)),
            ]).ToList());
    }

    private ReportTable Plan() => new(
        "The guard is index-backed: scans of the array tables during one guarded DELETE, and the scan nodes of the guard's query (auto_explain, nested statements)",
        ["evidence", "value"],
        evidence.Counters.Select(c => (IReadOnlyList<string>)[$"{c.Table}: sequential / index scans", string.Create(Invariant, $"{c.SeqScans} / {c.IndexScans:N0}")])
            .Concat(evidence.PlanLines.Select(l => (IReadOnlyList<string>)["plan", "`" + l.Trim() + "`"]))
            .ToList());

    private List<TargetResult> Targets()
    {
        var targets = new List<TargetResult>();
        foreach (var cell in cells.Where(c => c.Shape.IsArray).OrderBy(c => c.Method).ThenBy(c => c.Shape.IdsPerRow))
        {
            var native = Native(cell.Method)!;
            targets.Add(new(
                $"{Describe(cell.Method)}, arrays of {cell.Shape.IdsPerRow}: added cost per id ≤ 0.5 × native FK's per row",
                string.Create(Invariant, $"{cell.AddedCpuPerId:0.0} µs vs {native.AddedCpuPerId:0.0} µs ({cell.AddedCpuPerId / native.AddedCpuPerId:0.00}×)"),
                cell.AddedCpuPerId <= 0.5 * native.AddedCpuPerId));
        }

        var seq = evidence.Counters.Sum(c => c.SeqScans);
        targets.Add(new("referenced-side guard is index-backed (no sequential scan of the array tables)",
            string.Create(Invariant, $"{seq} sequential scans; {Us(AddedPerDelete(GuardVariant.ArrayGuard))} µs server CPU per deleted user"), seq == 0));
        return targets;
    }

    private double AddedPerDelete(GuardVariant variant) =>
        (Stats.Median(deletes[variant].Select(m => m.ServerCpu)) - Stats.Median(deletes[GuardVariant.None].Select(m => m.ServerCpu))).TotalMicroseconds / options.GuardDeletes;

    private static string Describe(InsertMethod method) => method switch
    {
        InsertMethod.Copy => "bulk: binary COPY",
        InsertMethod.MultiRowInsert => "bulk: multi-row INSERT",
        _ => "single-row INSERTs, concurrent",
    };

    private static string Us(double microseconds) => microseconds.ToString("0.0", Invariant);
}
