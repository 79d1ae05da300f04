using System.Globalization;
using System.Security.Cryptography;
using FkHarness.Catalog;

namespace FkHarness.Rehearsal.Pipeline;

/// <summary>The folder a rehearsal writes into, and the name of every file it may write there.</summary>
internal sealed class RehearsalArtifacts
{
    private RehearsalArtifacts(string runId, string directory)
    {
        RunId = runId;
        Directory = directory;
    }

    /// <summary>yyyyMMdd-HHmmss-xxxx (UTC), unique enough for folders and database names.</summary>
    public string RunId { get; }

    public string Directory { get; }

    public string AuditReport => Path.Combine(Directory, ForeignKeyCatalog.FileName);

    public string HtmlReport => Path.Combine(Directory, "report.html");

    public string Log => Path.Combine(Directory, "rehearsal.log");

    /// <summary>Every row 025 deleted or value it nulled, one line each.</summary>
    public string QuarantineCsv => Path.Combine(Directory, "quarantine.csv");

    public string Manifest => Path.Combine(Directory, "orphan_manifest.json");

    public string SchemaBeforeUp => Path.Combine(Directory, "schema_before_up.sql");

    public string SchemaAfterRollback => Path.Combine(Directory, "schema_after_rollback.sql");

    /// <summary>Where the steps of a rehearsal run by the AppHost keep what they found (context.json) and signal each other.</summary>
    public string StateDirectory => Path.Combine(Directory, StateFolderName);

    public const string StateFolderName = "state";

    /// <summary>The plan's Step 2 name: backup_before_fk_fix_YYYYMMDD_HHMMSS.dump.</summary>
    public string BackupFor(DateTimeOffset at) =>
        Path.Combine(Directory, $"backup_before_fk_fix_{at.UtcDateTime.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture)}.dump");

    /// <param name="requested">--artifacts, or null for ./artifacts/&lt;run id&gt;.</param>
    /// <param name="now">The run's start, which names it.</param>
    public static RehearsalArtifacts Create(string? requested, DateTimeOffset now)
    {
        var runId = $"{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
        return Open(requested ?? Path.Combine("artifacts", runId), runId);
    }

    /// <summary>A run folder made already (by the AppHost, for every step of one rehearsal), under its run id.</summary>
    public static RehearsalArtifacts Open(string directory, string runId)
    {
        var full = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(full);
        return new RehearsalArtifacts(runId, full);
    }
}
