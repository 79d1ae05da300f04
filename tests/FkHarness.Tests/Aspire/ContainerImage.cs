namespace FkHarness.Tests.Aspire;

/// <summary>The PostgreSQL image scripts/build-postgres-image.sh builds from Debian packages (no registry is needed to run it).</summary>
internal static class ContainerImage
{
    public const string Name = "localhost/fkharness-postgres:15";
}
