using FkHarness.Seeder;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Seeding;

/// <summary>Shortcuts for the seeder tests: seed a clone with the template's options, or others.</summary>
internal static class SeedingDatabase
{
    public static Task<SeedOutcome> SeedAsync(TestDatabase database, Func<SeedOptions, SeedOptions>? adjust = null)
    {
        var options = SeededTemplate.OptionsFor(database.ConnectionString);
        return DatabaseSeeder.SeedAsync(adjust is null ? options : adjust(options));
    }

    public static async Task<SeedResult> SeedOrFailAsync(TestDatabase database, Func<SeedOptions, SeedOptions>? adjust = null)
    {
        var outcome = await SeedAsync(database, adjust);
        Assert.True(outcome.Succeeded, $"Seeding failed ({outcome.Status}): {outcome.Message}");
        return outcome.Result!;
    }
}
