namespace FkHarness.Tests.Reliability;

/// <summary>Set once `up` has exited 0: from then on the live-traffic writers expect every orphan write to be rejected.</summary>
internal sealed class MigrationFlag
{
    private volatile bool _done;

    public bool IsDone => _done;

    public void MarkDone() => _done = true;
}
