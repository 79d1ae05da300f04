namespace FkHarness.Seeder.Generation;

/// <summary>
/// The words of a deployment and alerting platform: services, metrics, widgets, preferences,
/// databases, error shapes. Bogus supplies people and prose; these make it look like ops data.
/// Ordered by how common they are, so skewed picks favour the front.
/// </summary>
internal static class PlatformVocabulary
{
    public const string CompanyDomain = "northwind.dev";

    public static readonly string[] Services =
    [
        "checkout-api", "auth-service", "billing-api", "web-frontend", "orders-service", "search-api",
        "notifications-worker", "inventory-service", "payments-gateway", "user-profile-api", "catalog-api",
        "reporting-worker", "email-sender", "image-resizer", "feature-flags", "audit-log-service",
        "recommendations-api", "shipping-service", "pricing-engine", "fraud-detector", "mobile-bff",
        "admin-portal", "webhooks-dispatcher", "scheduler", "metrics-collector", "ledger-service",
        "tax-calculator", "sso-bridge", "export-worker", "geo-service",
    ];

    public static readonly string[] Environments = ["dev", "staging", "production"];

    public static readonly (string Metric, string Label, string Comparison, double Low, double High)[] Metrics =
    [
        ("cpu_usage_percent", "High CPU", ">", 70, 95),
        ("memory_rss_bytes", "Memory pressure", ">", 1.5e9, 7.5e9),
        ("http_5xx_rate", "Elevated 5xx rate", ">", 0.01, 0.1),
        ("p99_latency_ms", "Slow p99 latency", ">", 250, 2500),
        ("queue_depth", "Queue backlog", ">", 500, 20000),
        ("disk_free_percent", "Low disk space", "<", 5, 20),
        ("db_connections_in_use", "Connection pool exhaustion", ">=", 80, 190),
        ("replication_lag_seconds", "Replica lag", ">", 5, 120),
        ("error_budget_remaining", "Error budget burn", "<=", 0.05, 0.5),
        ("requests_per_second", "Traffic drop", "<", 5, 200),
    ];

    public static readonly int[] AlertWindows = [300, 300, 60, 600, 900, 3600];

    public static readonly string[] WidgetTypes =
        ["line_chart", "single_stat", "deployment_feed", "alert_list", "bar_chart", "table", "heatmap", "log_stream"];

    public static readonly string[] TimeRanges = ["24h", "1h", "7d", "6h", "30d"];

    public static readonly string[] PreferenceKeys =
    [
        "theme", "timezone", "notifications.email", "notifications.slack", "locale", "dashboard.default",
        "deployments.default_environment", "notifications.digest", "pagination.page_size", "sidebar.collapsed",
        "date_format", "editor.font_size", "alerts.sound", "beta.features",
    ];

    public static readonly string[] Timezones =
        ["UTC", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Europe/London", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney"];

    public static readonly string[] Locales = ["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "es-ES", "pt-BR"];

    public static readonly string[] CronExpressions =
        ["0 2 * * *", "*/15 * * * *", "0 9 * * 1-5", "0 */6 * * *", "30 3 * * 0", "0 0 1 * *", "*/5 * * * *", "0 18 * * 5"];

    public static readonly string[] Databases =
        ["orders", "billing", "identity", "inventory", "analytics", "payments", "notifications", "audit_log", "catalog", "ledger"];

    public static readonly string[] SyncEventTypes =
    [
        "session.started", "widget.updated", "alert.acknowledged", "deployment.viewed", "settings.changed",
        "alert.resolved", "session.ended", "dashboard.shared", "offline.replayed",
    ];

    public static readonly string[] ApprovalComments =
    [
        "LGTM", "Approved for the Tuesday release window", "Ship it", "Approved after load test",
        "OK once the migration is verified on staging", "Rollback plan reviewed", "Approved, watch the error budget",
        "Hotfix, approved out of window",
    ];

    public static readonly string[] RejectionComments =
    [
        "Missing changelog", "Canary showed elevated 5xx", "Outside the release window", "Needs a rollback plan",
        "Blocked by open incident", "Migration not tested on staging",
    ];

    public static readonly string[] PendingComments = ["Waiting for QA sign-off", "Scheduled for the next window", "Needs a second approver"];

    public static readonly string[] ColumnNames =
        ["status", "created_by", "finished_at", "priority", "environment", "threshold", "size_bytes", "payload", "user_id", "version"];

    public static readonly string[] RollbackReasons =
    [
        "Lock timeout on {0} during peak traffic",
        "Migration exceeded the maintenance window on {0}",
        "Validation failed: rows in {0} violate the new constraint",
        "Replication lag above threshold while rewriting {0}",
        "Application errors after deploy; reverting schema change to {0}",
        "Disk usage spiked during index build on {0}",
    ];

    public static readonly string[] MigrationVerbs = ["add", "drop", "backfill", "rename", "index", "alter", "split", "merge"];

    public static readonly string[] Components =
    [
        "Controllers.DeploymentsController", "Services.DeploymentService", "Data.DeploymentRepository",
        "Controllers.AlertsController", "Services.AlertEvaluator", "Data.UserRepository", "Jobs.BackupJob",
        "Services.ApprovalService", "Middleware.AuthenticationMiddleware", "Clients.HttpRetryHandler",
        "Services.SyncProcessor", "Data.PreferenceStore",
    ];

    public static readonly string[] Methods =
    [
        "HandleAsync", "ExecuteAsync", "GetByIdAsync", "SaveChangesAsync", "EvaluateAsync", "InvokeAsync",
        "ProcessBatchAsync", "SendAsync", "ValidateAsync", "MoveNext",
    ];

    public static readonly (string Severity, string Template)[] ErrorMessages =
    [
        ("error", "System.NullReferenceException: Object reference not set to an instance of an object."),
        ("error", "System.TimeoutException: The operation has timed out after {0} ms calling {1}."),
        ("error", "Npgsql.PostgresException (0x80004005): 40P01: deadlock detected"),
        ("error", "Npgsql.PostgresException (0x80004005): 23505: duplicate key value violates unique constraint \"{2}_pkey\""),
        ("error", "System.Net.Http.HttpRequestException: Response status code does not indicate success: 502 (Bad Gateway) from {1}."),
        ("error", "System.InvalidOperationException: Sequence contains no elements"),
        ("warning", "Slow query ({0} ms): SELECT * FROM {2} WHERE id = $1"),
        ("warning", "Retrying request to {1} (attempt {3}/5)"),
        ("warning", "Circuit breaker half-open for {1}"),
        ("critical", "Health check failed for {1}: {3} consecutive failures"),
        ("fatal", "Unhandled exception. System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown."),
    ];

    public static readonly string[] Tables =
        ["deployments", "users", "alert_conditions", "error_logs", "deployment_queue", "database_backups", "sync_events"];
}
