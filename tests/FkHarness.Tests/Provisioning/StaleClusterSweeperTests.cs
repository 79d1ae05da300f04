using FkHarness.Provisioning;

namespace FkHarness.Tests.Provisioning;

/// <summary>The sweeper removes dead runs' cluster folders, and nothing else that merely starts with fkharness- (such as a test's migrations folder, swept mid-test by a cluster starting in parallel before the fix).</summary>
public sealed class StaleClusterSweeperTests : IDisposable
{
    private readonly string parent = Directory.CreateTempSubdirectory("fkh-sweep-test-").FullName;

    [Fact]
    public void Sweep_LeavesFoldersThatAreNotClusterFolders()
    {
        // Tests and tools keep their own temp folders under the same prefix (migrations, manifests).
        var migrations = Directory.CreateDirectory(Path.Combine(parent, "fkharness-migrations-abc123")).FullName;
        var slow = Directory.CreateDirectory(Path.Combine(parent, "fkharness-slow-x1y2")).FullName;

        StaleClusterSweeper.Sweep(parent);

        Assert.True(Directory.Exists(migrations));
        Assert.True(Directory.Exists(slow));
    }

    [Fact]
    public void Sweep_SparesAFolderWhoseOwnerLives_EvenBeforeItsPidFileIsWritten()
    {
        var starting = Directory.CreateDirectory(Path.Combine(parent, $"fkharness-{Environment.ProcessId}-0123abcd")).FullName;

        StaleClusterSweeper.Sweep(parent);

        Assert.True(Directory.Exists(starting));
    }

    [Fact]
    public void Sweep_RemovesTheFolderOfADeadRun()
    {
        var dead = Directory.CreateDirectory(Path.Combine(parent, "fkharness-999999999-0123abcd")).FullName;
        File.WriteAllText(Path.Combine(dead, "owner.pid"), "999999999");

        StaleClusterSweeper.Sweep(parent);

        Assert.False(Directory.Exists(dead));
    }

    [Fact]
    public void Sweep_RemovesADeadRunsFolderThatLostItsPidFile_ButNotALiveOnes()
    {
        // A delete cut short (the server still writing into data/) left such folders behind, and
        // their pid, reused later, made an unrelated run look as if it had left a folder.
        var dead = Directory.CreateDirectory(Path.Combine(parent, "fkharness-999999999-0123abcd", "data")).Parent!.FullName;
        var live = Directory.CreateDirectory(Path.Combine(parent, $"fkharness-{Environment.ProcessId}-4567cdef", "data")).Parent!.FullName;

        StaleClusterSweeper.Sweep(parent);

        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(live));
    }

    public void Dispose() => Directory.Delete(parent, recursive: true);
}
