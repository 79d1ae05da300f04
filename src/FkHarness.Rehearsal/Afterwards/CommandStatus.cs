namespace FkHarness.Rehearsal.Afterwards;

/// <summary>How a command after the rehearsal ended.</summary>
internal enum CommandStatus
{
    /// <summary>The migrator changed the database as asked (or the audit ran).</summary>
    Succeeded,

    /// <summary>Nothing to do: what it undoes is not applied, or what it applies is applied already. The migrations are idempotent, so a second click is a no-op, not an error.</summary>
    Unchanged,

    /// <summary>The migrator (or the audit) failed; the database is as its error says, and as read after it.</summary>
    Failed,

    /// <summary>Stopped (the resource was stopped, or the AppHost's Ctrl+C) while it ran.</summary>
    Cancelled,
}
