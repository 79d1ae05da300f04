namespace FkHarness.Tests.Reliability;

/// <summary>
/// When to SIGKILL a migrator: a condition on what the probe sees and on the time since the run
/// logged its anchor line ("Applying …"), or since the process started. Progress conditions are
/// "in or past" a phase, so a run that races through it is killed just after it, not missed.
/// </summary>
internal sealed record KillPoint(string Name, Func<ProgressSnapshot, TimeSpan, bool> Reached, bool WaitForAnchor = true)
{
    public static KillPoint When(string name, Func<ProgressSnapshot, bool> reached) => new(name, (s, _) => reached(s));

    public static KillPoint After(int milliseconds) =>
        new($"{milliseconds} ms after the anchor", (_, since) => since >= TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>Before the anchor, too: while the runtime starts, connects, takes the advisory lock, reads the journal.</summary>
    public static KillPoint AfterStart(int milliseconds) =>
        new($"{milliseconds} ms after the process started", (_, since) => since >= TimeSpan.FromMilliseconds(milliseconds), WaitForAnchor: false);

    /// <summary>
    /// At the <paramref name="look"/>-th look that finds the statement running (so successive points
    /// land further into a phase that lasts only a few looks), or once <paramref name="past"/> holds.
    /// </summary>
    public static KillPoint WhileRunning(string name, string statementPart, int look, Func<ProgressSnapshot, bool> past)
    {
        var seen = 0;
        return new(name, (s, _) => (Running(s, statementPart) && ++seen >= look) || past(s));
    }

    public static bool Running(ProgressSnapshot s, string statementPart) =>
        s.ActiveStatement?.Contains(statementPart, StringComparison.Ordinal) == true;
}

/// <summary>One kill as it happened: what the probe saw just before it, and how long the server took to drop the killed sessions.</summary>
internal sealed record KillRecord(
    string Chain,
    int Number,
    string Planned,
    TimeSpan AfterStart,
    ProgressSnapshot Seen,
    TimeSpan SessionsGoneAfter,
    bool RowsChecked,
    int LockRetries);
