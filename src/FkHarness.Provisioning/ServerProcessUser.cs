namespace FkHarness.Provisioning;

/// <summary>
/// PostgreSQL refuses to run as root, and sessions and CI here run as root: then every server
/// program runs through <c>runuser</c> as the service user; otherwise as ourselves.
/// </summary>
public sealed class ServerProcessUser
{
    private ServerProcessUser(string? switchTo) => SwitchTo = switchTo;

    /// <summary>The OS user to switch to, or null when no switch is needed.</summary>
    public string? SwitchTo { get; }

    public static ServerProcessUser For(string serviceUser) =>
        new(Environment.UserName == "root" ? serviceUser : null);

    /// <summary>The program and arguments that run <paramref name="program"/> as the right user.</summary>
    public (string Program, IReadOnlyList<string> Arguments) Wrap(string program, IEnumerable<string> arguments) =>
        SwitchTo is null
            ? (program, arguments.ToList())
            : ("runuser", ["-u", SwitchTo, "--", program, .. arguments]);

    /// <summary>Hands a directory we created to the service user, so the server can write in it.</summary>
    public async Task GiveAsync(string directory, CancellationToken cancellationToken)
    {
        if (SwitchTo is null)
        {
            return;
        }

        await CliWrap.Cli.Wrap("chown").WithArguments(["-R", SwitchTo, directory])
            .ExecuteAsync(cancellationToken);
    }
}
