using FkHarness.Catalog;

namespace FkHarness.Rehearsal.Afterwards;

/// <summary>The one line a command answers with: what it did, and what fkdb holds now.</summary>
internal static class CommandSummary
{
    public static string Describe(CommandRun run, ForeignKeyCatalog catalog)
    {
        var rows = run.RowsRestored > 0 ? $"; {run.RowsRestored:N0} quarantined rows and values put back"
            : run.RowsQuarantined > 0 ? $"; {run.RowsQuarantined:N0} rows and values moved to the quarantine"
            : "";
        return $"{run.Outcome}{rows}. fkdb now: {State(run.After, catalog)}";
    }

    public static string Outcome(DatabaseCommand command, CommandRun run) => run.Status switch
    {
        CommandStatus.Failed => $"failed: {run.Error}",
        CommandStatus.Cancelled => "stopped before it finished",
        CommandStatus.Unchanged when command.Kind == DatabaseCommandKind.RollBack =>
            $"nothing to roll back: no migration above {command.Floor} is applied",
        CommandStatus.Unchanged => "nothing to apply: every migration is applied already",
        _ when run.RolledBack.Count > 0 => $"rolled back {string.Join(", ", run.RolledBack)}",
        _ when run.Applied.Count > 0 => $"applied {string.Join(", ", run.Applied)}",
        _ => "024 ran",
    };

    public static string State(DatabaseNow now, ForeignKeyCatalog catalog)
    {
        var foreignKeys = DatabaseNow.ExpectedForeignKeys(catalog);
        var applied = now.Applied.Count == 0 ? "no migration applied" : $"applied {string.Join(", ", now.Applied)}";
        var orphans = now.Audit is { Succeeded: true } audit ? $", {audit.TotalOrphans:N0} orphan rows (024)" : "";
        return $"{applied}, {now.ForeignKeys.Count} of {foreignKeys} FKs ({now.ValidatedForeignKeys.Count} validated), {now.Triggers.Count} trg_check_ triggers, " +
               $"{now.QuarantinedRows:N0} rows in the quarantine{orphans}.";
    }
}
