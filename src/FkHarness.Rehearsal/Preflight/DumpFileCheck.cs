using CliWrap;
using CliWrap.Buffered;
using FkHarness.Provisioning;

namespace FkHarness.Rehearsal.Preflight;

/// <summary>
/// --from-dump must name an archive pg_restore can read (pg_dump -Fc, or -Fd/-Ft): checked with
/// <c>pg_restore --list</c> before anything is started, so a wrong path or a corrupt file costs
/// no cluster. A file whose table of contents is fine but whose data is cut short is caught later,
/// by the restore stage.
/// </summary>
internal static class DumpFileCheck
{
    private const string HowToMake = "Make one with: pg_dump -Fc \"$DATABASE_URL\" > staging.dump";

    public static async Task<string?> CheckAsync(string path, PostgresBinaries binaries, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            return $"The dump file {full} does not exist. --from-dump takes a file made by pg_dump -Fc. {HowToMake}";
        }

        try
        {
            if (File.Exists(full))
            {
                await using var probe = File.OpenRead(full);
            }
        }
        catch (UnauthorizedAccessException)
        {
            return $"The dump file {full} cannot be read (permission denied).";
        }
        catch (IOException e)
        {
            // A dangling symbolic link passes File.Exists and fails here; so do other unreadable files.
            return $"The dump file {full} cannot be read: {e.Message} --from-dump takes a file made by pg_dump -Fc. {HowToMake}";
        }

        var list = await Cli.Wrap(binaries.PgRestore).WithArguments(["--list", full])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(cancellationToken);
        if (list.ExitCode != 0)
        {
            var reason = string.Join(" / ", list.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return $"{full} is not a dump pg_restore can read ({reason}). It may be truncated or corrupt, or a plain SQL dump (restore those with psql). {HowToMake}";
        }

        return null;
    }
}
