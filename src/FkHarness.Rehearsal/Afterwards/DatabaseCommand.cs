using FkHarness.Migrator.Scripts;
using FkHarness.Rehearsal.Stages;

namespace FkHarness.Rehearsal.Afterwards;

/// <summary>
/// One of the commands someone demonstrating rollback clicks on fkdb once the rehearsal ended
/// (with --keep): roll back a migration, re-apply them all, re-run the audit. Each is a step of
/// the rehearsal's executable, <c>--step command-NAME</c>, named apart from the plan's steps
/// (whose <c>audit</c> and <c>rollback-026</c> are the rehearsal's own).
/// </summary>
/// <param name="Name">rollback-NNN, reapply or audit.</param>
/// <param name="Title">What the dashboard's menu says.</param>
/// <param name="Description">What it does, for the menu's tooltip.</param>
/// <param name="Kind">What it asks the migrator for.</param>
/// <param name="To">For a rollback, the version it rolls back to (the migrator's down --to).</param>
internal sealed record DatabaseCommand(string Name, string Title, string Description, DatabaseCommandKind Kind, string? To = null)
{
    public const string StepPrefix = "command-";

    /// <summary>The step (and the AppHost's resource) that runs it.</summary>
    public string Step => StepPrefix + Name;

    /// <summary>The commands for a migration set: a rollback per migration, newest first, then re-apply and the audit.</summary>
    /// <summary>For a rollback, the version it rolls back to as people write it (024, not 24).</summary>
    public string? Floor => To?.PadLeft(3, '0');

    public static IReadOnlyList<DatabaseCommand> For(MigrationSet set)
    {
        var versions = set.Migrations.Select(m => m.Version).ToList();
        var rollbacks = set.Migrations.Reverse().Select(m =>
        {
            var floor = RollbackStage.FloorFor(set, m);
            var newer = set.Migrations.Where(n => n.Number > m.Number).Select(n => n.Version).ToList();
            var first = newer.Count == 0 ? "" : $" ({string.Join(" and ", newer)} first, if applied)";
            return new DatabaseCommand($"rollback-{m.Version}", $"Roll back {m.Version}",
                $"The migrator's down --to {floor.PadLeft(3, '0')}: {m.Name} is rolled back{first}, as the release pipeline would; nothing happens if it is not applied.",
                DatabaseCommandKind.RollBack, floor);
        });
        return
        [
            .. rollbacks,
            new("reapply", $"Re-apply {string.Join(" and ", versions)}",
                "The migrator's up: every migration not applied runs again (cleanup into the quarantine, FKs, triggers); nothing happens if all are applied.",
                DatabaseCommandKind.Reapply),
            new("audit", "Re-run the audit", "024 alone, read-only: orphans, FKs and index coverage as the database stands now.", DatabaseCommandKind.Audit),
        ];
    }

    /// <summary>The command a step name asks for; null when it is not one (a step of the plan, or a typo).</summary>
    public static DatabaseCommand? Find(MigrationSet set, string step) =>
        step.StartsWith(StepPrefix, StringComparison.Ordinal) ? For(set).FirstOrDefault(c => c.Step == step) : null;
}
