using System.Reflection;
using System.Runtime.Versioning;

namespace FkHarness.AppHost.Steps;

/// <summary>
/// The rehearsal project's built executable (its apphost, bin/&lt;configuration&gt;/&lt;tfm&gt;/FkHarness.Rehearsal),
/// built along with the AppHost (a ProjectReference). The steps run it directly: as a project
/// resource DCP would start each step through <c>dotnet run --no-build</c>, which evaluates the
/// project first (about 1.3 s per step on a quiet 2-core machine, several seconds under load).
/// </summary>
internal static class RehearsalExecutable
{
    public static (string Path, string WorkingDirectory) Locate()
    {
        var project = System.IO.Path.GetDirectoryName(new Projects.FkHarness_Rehearsal().ProjectPath)!;
        var assembly = typeof(RehearsalExecutable).Assembly;
        var configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new FrameworkName(assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName);
        var path = System.IO.Path.Combine(project, "bin", configuration, $"net{framework.Version.Major}.{framework.Version.Minor}", "FkHarness.Rehearsal");
        return File.Exists(path)
            ? (path, project)
            : throw new FileNotFoundException($"The rehearsal project is not built ({path} is missing): dotnet build, or dotnet run --project src/FkHarness.AppHost, builds it.", path);
    }
}
