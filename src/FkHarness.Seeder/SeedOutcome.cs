namespace FkHarness.Seeder;

/// <summary>What a seeding attempt came to: a result, or a message saying why not (never with a password in it).</summary>
public sealed record SeedOutcome
{
    public required SeedStatus Status { get; init; }
    public SeedResult? Result { get; init; }
    public string? Message { get; init; }

    public bool Succeeded => Status == SeedStatus.Seeded;

    public static SeedOutcome Seeded(SeedResult result) => new() { Status = SeedStatus.Seeded, Result = result };
    public static SeedOutcome Invalid(string message) => new() { Status = SeedStatus.InvalidOptions, Message = message };
    public static SeedOutcome Refused(string message) => new() { Status = SeedStatus.Refused, Message = message };
    public static SeedOutcome Failed(string message) => new() { Status = SeedStatus.Failed, Message = message };

    /// <summary>The process exit code for this outcome: 0 seeded, 2 bad input, 1 otherwise.</summary>
    public int ExitCode => Status switch
    {
        SeedStatus.Seeded => 0,
        SeedStatus.InvalidOptions => 2,
        _ => 1,
    };
}
