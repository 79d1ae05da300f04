using FkHarness.Seeder;

namespace FkHarness.Tests.Seeding;

public sealed class SeedOptionsTests
{
    [Theory]
    [InlineData(0, 0.02, "--scale")]
    [InlineData(-1, 0.02, "--scale")]
    [InlineData(1001, 0.02, "--scale")]
    [InlineData(double.NaN, 0.02, "--scale")]
    [InlineData(1, -0.1, "--orphan-rate")]
    [InlineData(1, 0.51, "--orphan-rate")]
    public void OutOfRange_IsReportedByOptionName(double scale, double rate, string option)
    {
        var options = new SeedOptions { ConnectionString = "Host=localhost", Scale = scale, OrphanRate = rate };

        Assert.Contains(options.Validate(), error => error.StartsWith(option, StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvalidOptions_AreAnOutcomeWithExitCode2_NotAnException()
    {
        var outcome = await DatabaseSeeder.SeedAsync(new SeedOptions { ConnectionString = "Host=localhost", Scale = 0 });

        Assert.Equal(SeedStatus.InvalidOptions, outcome.Status);
        Assert.Equal(2, outcome.ExitCode);
    }

    [Fact]
    public async Task AMalformedConnectionString_IsInvalidOptions()
    {
        var outcome = await DatabaseSeeder.SeedAsync(new SeedOptions { ConnectionString = "Hots=localhost;Password=hunter2" });

        Assert.Equal(SeedStatus.InvalidOptions, outcome.Status);
        Assert.DoesNotContain("hunter2", outcome.Message);
    }
}
