using FkHarness.Migrator.Audit;
using Spectre.Console;

namespace FkHarness.Migrator.Cli;

/// <summary>The audit's orphans per relationship, as a console table.</summary>
internal static class AuditTable
{
    public static void Write(AuditResult audit)
    {
        var table = new Table().AddColumns("#", "relationship", "kind", "rows", "orphans", "NULL", "empty", "variants", "missing", "NULL elements", "bad elements");
        foreach (var c in table.Columns.Skip(3))
        {
            c.RightAligned();
        }

        foreach (var r in audit.Relationships)
        {
            table.AddRow(
                Cell(r.FindingId), new Text(r.Relationship), new Text(r.Kind), Cell(r.TotalRows),
                r.OrphanCount > 0 ? new Text($"{r.OrphanCount}", new Style(Color.Red)) : Cell(r.OrphanCount),
                Cell(r.NullCount), Cell(r.EmptyStringCount), Cell(r.VariantCount), Cell(r.MissingCount), Cell(r.NullElementRows), Cell(r.InvalidElementCount));
        }

        AnsiConsole.Write(table);
    }

    private static Text Cell(long? value) => new(value is null ? "—" : $"{value}");
}
