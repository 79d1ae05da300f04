using System.Text.Json;
using System.Text.Json.Nodes;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Postgres;
using FkHarness.Rehearsal.Verification;
using FkHarness.Catalog;
using FkHarness.Migrator;
using FkHarness.Migrator.Audit;

namespace FkHarness.Rehearsal.Reporting;

/// <summary>
/// FK_AUDIT_REPORT.json of a rehearsal: the migrator's audit report (the catalog's findings with
/// 024's counts under <c>audit</c>), and per finding the counts after the fix and the actions
/// taken; then the stages with their timings, lock waits, every verification check, the
/// rollback proof and the run's settings. Keeps the catalog's shape, so it still loads as one.
/// </summary>
internal static class AuditReportJson
{
    private static JsonSerializerOptions Options => ForeignKeyCatalog.JsonOptions;

    public static JsonObject Build(RehearsalContext context)
    {
        var before = context.AuditBefore ?? new AuditResult { Succeeded = false };
        var root = AuditReportWriter.Build(before, context.Catalog);
        root["$comment"] = "FK_AUDIT_REPORT.json written by an fkharness rehearsal: the plan's findings, each with 024's counts before the fix (audit), after it (audit_after) and what 025/026 did (actions); then the stages and their timings, lock waits, the verification checks and, with --rollback, the rollback proof.";
        var verdict = RehearsalVerdict.From(context.Stages);
        root["rehearsal"] = Rehearsal(context, verdict);

        var rows = RelationshipRow.For(context);
        foreach (var node in root["findings"]!.AsArray().Select(n => n!.AsObject()))
        {
            var row = rows.First(r => r.Finding.Id == node["id"]!.GetValue<int>());
            node["audit_after"] = row.After is null ? null : JsonSerializer.SerializeToNode(row.After, Options);
            node["actions"] = Actions(row);
            node["manifest"] = Manifest(context, row);
        }

        root["total_orphans_after"] = context.AuditAfter?.TotalOrphans;
        root["stages"] = new JsonArray([.. context.Stages.Select(Stage)]);
        root["lock_waits"] = JsonSerializer.SerializeToNode(context.LockWaits.Select(w => new
        {
            w.Script,
            w.Attempt,
            DelaySeconds = Math.Round(w.Delay.TotalSeconds, 3),
            w.Message,
        }).ToList(), Options);
        root["lock_holds"] = LockHolds(context);
        root["traffic"] = TrafficJson.Build(context);
        root["quarantine"] = JsonSerializer.SerializeToNode(context.Quarantine, Options);
        root["quarantine_rows"] = new JsonArray([.. context.QuarantineRows.Select(r => new JsonObject
        {
            ["table"] = r.Table,
            ["column"] = r.Column,
            ["row_id"] = r.RowId,
            ["action"] = r.Action,
            ["reason_code"] = r.ReasonCode,
            ["old_value"] = r.OldValue,
            ["old_value_visible"] = r.OldValue is null ? null : VisibleText.Unambiguous(r.OldValue),
        })]);
        root["database_settings"] = context.ServerSettings is not { } settings ? null : new JsonObject
        {
            ["settings"] = JsonSerializer.SerializeToNode(settings, Options),
            ["meaning"] = ServerSettings.Meaning(settings),
        };
        root["verification"] = Verification(context.Checks);
        root["rollback"] = context.RollbackProof is null ? null : JsonSerializer.SerializeToNode(context.RollbackProof, Options);
        root["after_rehearsal"] = AfterRehearsalJson.Build(context);
        root["constraints_after"] = context.AuditAfter is null ? null : JsonSerializer.SerializeToNode(context.AuditAfter.Constraints, Options);
        root["index_coverage_after"] = context.AuditAfter is null ? null : JsonSerializer.SerializeToNode(context.AuditAfter.IndexCoverage, Options);
        return root;
    }

    public static async Task WriteAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(context.Artifacts.AuditReport);
        await JsonSerializer.SerializeAsync(stream, Build(context), Options, cancellationToken);
    }

    private static JsonObject Rehearsal(RehearsalContext context, RehearsalVerdict verdict)
    {
        var options = context.Options;
        var seeded = context.Seeded;
        return new JsonObject
        {
            ["run_id"] = context.Artifacts.RunId,
            ["started_at"] = context.StartedAt,
            ["finished_at"] = context.FinishedAt ?? DateTimeOffset.UtcNow,
            ["succeeded"] = verdict.Succeeded,
            ["cancelled"] = verdict.Cancelled,
            ["failed_stage"] = verdict.FailedStage?.Name,
            ["error"] = verdict.FailedStage?.Outcome.Error,
            ["provider"] = options.UsesExistingServer ? "existing server" : "throwaway cluster",
            ["database"] = context.Database?.Description,
            ["data"] = options.FromDump is null ? "seeded" : "dump",
            ["from_dump"] = options.FromDump is null ? null : Path.GetFullPath(options.FromDump),
            ["migrated_as"] = context.MigrationRole?.Name,
            ["migrated_as_superuser"] = context.MigrationRole?.IsSuperuser,
            ["roles_created_for_dump"] = new JsonArray([.. context.CreatedRoles.Select(r => JsonValue.Create(r))]),
            ["migrations_directory"] = options.MigrationsDirectory is null ? null : Path.GetFullPath(options.MigrationsDirectory),
            ["rollback"] = options.Rollback,
            ["keep"] = options.Keep,
            ["seed"] = seeded is null ? null : new JsonObject
            {
                ["scale"] = seeded.Scale,
                ["seed"] = seeded.Seed,
                ["orphan_rate"] = seeded.OrphanRate,
                ["total_rows"] = seeded.TotalRows,
                ["row_counts"] = JsonSerializer.SerializeToNode(seeded.RowCounts, Options),
                ["manifest"] = Path.GetFileName(context.Artifacts.Manifest),
            },
            ["backup"] = context.Backup is null ? null : new JsonObject
            {
                ["file"] = Path.GetFileName(context.Backup.Path),
                ["bytes"] = context.Backup.Bytes,
            },
            ["teardown"] = context.Teardown is null ? null : new JsonObject
            {
                ["summary"] = context.Teardown.Summary,
                ["kept"] = context.Teardown.Kept is null ? null : JsonSerializer.SerializeToNode(context.Teardown.Kept, Options),
            },
        };
    }

    private static JsonObject Actions(RelationshipRow row) => new()
    {
        ["cleanup"] = row.Finding.Cleanup,
        ["deleted"] = row.Deleted,
        ["set_null"] = row.Nulled,
        ["by_reason_code"] = JsonSerializer.SerializeToNode(row.ByReason, Options),
        ["guarded_by_triggers"] = row.Finding.IsArrayForeignKey ? JsonSerializer.SerializeToNode(row.Finding.Triggers, Options) : null,
        ["summary"] = row.Action,
    };

    private static JsonObject? Manifest(RehearsalContext context, RelationshipRow row)
    {
        var planted = context.Seeded?.Findings.FirstOrDefault(f => f.FindingId == row.Finding.Id);
        if (planted is null)
        {
            return null;
        }

        return new JsonObject
        {
            ["planted_rows"] = planted.Planted.Count,
            ["orphan_count"] = planted.OrphanCount,
            ["expected_delete"] = planted.Planted.Count(p => p.ExpectedAction == Seeder.Manifest.ExpectedAction.Delete),
            ["expected_set_null"] = planted.Planted.Count(p => p.ExpectedAction == Seeder.Manifest.ExpectedAction.SetNull),
            ["expected_leave"] = planted.Planted.Count(p => p.ExpectedAction == Seeder.Manifest.ExpectedAction.Leave),
        };
    }

    private static JsonObject Stage(StageRecord record) => new()
    {
        ["name"] = record.Name,
        ["status"] = record.Status.ToString().ToLowerInvariant(),
        ["started_at"] = record.StartedAt,
        ["seconds"] = Math.Round(record.Duration.TotalSeconds, 3),
        ["summary"] = record.Outcome.Summary,
        ["error"] = record.Outcome.Error,
    };

    private static JsonObject LockHolds(RehearsalContext context)
    {
        var holds = context.LockHolds.OrderBy(h => h.Started).ToList();
        JsonObject? Describe(LockHold? hold) => hold is null ? null : new JsonObject
        {
            ["script"] = hold.Script,
            ["line"] = hold.Line,
            ["step"] = hold.Step,
            ["table"] = hold.Table,
            ["mode"] = hold.Mode,
            ["started_at"] = hold.Started,
            ["held_ms"] = Math.Round(hold.HeldFor.TotalMilliseconds, 2),
            ["sampled"] = hold.Sampled,
            ["blocks_writes"] = hold.BlocksWrites,
            ["blocks_reads"] = hold.BlocksReads,
        };
        return new JsonObject
        {
            ["sampling_interval"] = context.LockHoldSampling,
            ["longest"] = Describe(holds.MaxBy(h => h.HeldFor)),
            ["longest_blocking_writes"] = Describe(holds.Where(h => h.BlocksWrites && IsUp(h)).MaxBy(h => h.HeldFor)),
            ["longest_blocking_writes_rollback"] = Describe(holds.Where(h => h.BlocksWrites && !IsUp(h)).MaxBy(h => h.HeldFor)),
            ["holds"] = new JsonArray([.. holds.Select(h => (JsonNode?)Describe(h))]),
        };
    }

    /// <summary>A hold of an up script (the rollout), not of a down script (the rollback).</summary>
    public static bool IsUp(LockHold hold) => hold.Script.EndsWith(".up.sql", StringComparison.Ordinal);

    private static JsonObject Verification(IReadOnlyList<VerificationCheck> checks) => new()
    {
        ["passed"] = checks.Count(c => c.Outcome == CheckOutcome.Passed),
        ["failed"] = checks.Count(c => c.Outcome == CheckOutcome.Failed),
        ["skipped"] = checks.Count(c => c.Outcome == CheckOutcome.Skipped),
        ["checks"] = JsonSerializer.SerializeToNode(checks, Options),
    };
}
