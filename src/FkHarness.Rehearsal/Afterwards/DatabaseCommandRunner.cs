using System.Diagnostics;
using FkHarness.Catalog;
using FkHarness.Migrator;
using FkHarness.Migrator.Errors;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Stages;

namespace FkHarness.Rehearsal.Afterwards;

/// <summary>
/// Runs one command on the kept database with the rehearsal's own migrator (the runners its
/// migrate and rollback stages use, as the rehearsal's migration role), reading the database before
/// and after it (024 included), so the report can say what changed. A migrator failure is a value,
/// recorded; only a database that cannot be read before or after it throws (NpgsqlException).
/// </summary>
internal sealed class DatabaseCommandRunner(UpgradeRunner up, DowngradeRunner down, DatabaseNowReader reader)
{
    public async Task<CommandRun> RunAsync(DatabaseCommand command, RehearsalContext context, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var database = context.RequireDatabase().ConnectionString;
        var before = await reader.ReadAsync(database, withAudit: false, cancellationToken);
        MigrationRunResult? result = null;
        string? error = null;
        if (command.Kind != DatabaseCommandKind.Audit)
        {
            var (role, roleError) = await MigrationRoleStep.ResolveAsync(context, cancellationToken);
            result = role is null
                ? new MigrationRunResult { Succeeded = false, Error = new MigratorError(MigratorErrorKind.InvalidInput, roleError!) }
                : command.Kind == DatabaseCommandKind.RollBack
                    ? await down.DownAsync(role.ConnectionString, command.To, cancellationToken)
                    : await up.UpAsync(role.ConnectionString, null, cancellationToken);
            error = result.Succeeded ? null : SecretRedactor.Redact(result.Error?.Message ?? "the migrator failed");
        }

        // Read after a failure too: the report must show the database as it is, not as it was meant to be.
        var after = await reader.ReadAsync(database, withAudit: true, CancellationToken.None);
        if (after.Audit is { Succeeded: false } audit && error is null)
        {
            error = SecretRedactor.Redact(audit.Error?.Message ?? "024 could not be run");
        }

        var status = result?.Error?.Kind == MigratorErrorKind.Cancelled || cancellationToken.IsCancellationRequested ? CommandStatus.Cancelled
            : error is not null ? CommandStatus.Failed
            : result is not null && result.Applied.Count == 0 && result.RolledBack.Count == 0 ? CommandStatus.Unchanged
            : CommandStatus.Succeeded;
        var run = new CommandRun
        {
            Name = command.Name,
            Title = command.Title,
            StartedAt = startedAt,
            Duration = watch.Elapsed,
            Status = status,
            Outcome = "",
            Summary = "",
            Error = error,
            Applied = result?.Applied ?? [],
            RolledBack = result?.RolledBack ?? [],
            LockWaits = result?.LockWaits.Count ?? 0,
            Before = before,
            After = after,
        };
        run = run with { Outcome = CommandSummary.Outcome(command, run) };
        return run with { Summary = CommandSummary.Describe(run, context.Catalog) };
    }
}
