using FkHarness.Rehearsal.Afterwards;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Postgres;
using FkHarness.Rehearsal.Progress;
using FkHarness.Provisioning;
using FkHarness.Rehearsal.Resources;
using FkHarness.Migrator;
using FkHarness.Migrator.Audit;
using FkHarness.Migrator.Scripts;
using FkHarness.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Spectre.Console;

namespace FkHarness.Rehearsal.Hosting;

/// <summary>
/// Wires a rehearsal with Microsoft.Extensions.Hosting: logging (stderr, and every line to the
/// artifacts' rehearsal.log), the database resource's provider, the migrator and the seeder
/// in-process, the console, and the declared pipeline. The host is built, never started: the
/// rehearsal runs once and ends, and Ctrl+C is ours to handle.
/// </summary>
internal static class RehearsalHost
{
    public static IHost Build(RehearsalOptions options, RehearsalArtifacts artifacts, bool interactive)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "fkharness" });
        builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new LogFileProvider(artifacts.Log));
        if (interactive)
        {
            // A live display owns the terminal: only warnings and errors interrupt it, printed above it.
            builder.Logging.AddProvider(new LiveConsoleLoggerProvider());
        }
        else
        {
            builder.Logging
                .AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = "HH:mm:ss ";
                    console.ColorBehavior = LoggerColorBehavior.Disabled;
                })
                .AddFilter<ConsoleLoggerProvider>(level => level >= LogLevel.Information);
        }

        // The console shows each stage's outcome already; the pipeline's own lines are for the log file.
        builder.Logging
            .AddFilter<ConsoleLoggerProvider>(typeof(RehearsalPipeline).FullName, LogLevel.None)
            .AddFilter<LiveConsoleLoggerProvider>(typeof(RehearsalPipeline).FullName, LogLevel.None);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        // Run by the AppHost with the dashboard on, OTEL_* say where the traces go; otherwise nothing is exported.
        builder.Configuration.AddEnvironmentVariables();
        builder.AddServiceDefaults();

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(artifacts);
        services.AddSingleton(_ => MigrationSet.Load(options.MigrationsDirectory));
        services.AddSingleton(sp => sp.GetRequiredService<MigrationSet>().LoadCatalog());
        // The rehearsal measures every step's lock holds (the migrator's CLI does not by default).
        services.AddSingleton(new MigratorOptions { MigrationsDirectory = options.MigrationsDirectory, LockHoldSampling = TimeSpan.FromMilliseconds(1) });
        services.AddSingleton(_ => PostgresBinaries.Locate());
        services.AddSingleton<PgClientTools>();
        services.AddSingleton<IDatabaseProvider>(sp => options switch
        {
            { UseGivenDatabase: true, ConnectionString: { } given } => new GivenDatabaseProvider(given),
            { ConnectionString: { } existing } => new ExistingServerProvider(existing, sp.GetRequiredService<ILogger<ExistingServerProvider>>()),
            _ => new ThrowawayClusterProvider(new ThrowawayClusterOptions { Port = options.Port }, sp.GetRequiredService<ILogger<ThrowawayClusterProvider>>()),
        });
        // An application's own migrations folder (--migrations) has no pre-fix baseline: use the shipped one.
        services.AddSingleton(sp => new BaselineInstaller(
            sp.GetRequiredService<MigrationSet>().Baseline is null ? new MigratorOptions() : sp.GetRequiredService<MigratorOptions>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new AuditRunner(sp.GetRequiredService<MigratorOptions>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new UpgradeRunner(sp.GetRequiredService<MigratorOptions>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new DowngradeRunner(sp.GetRequiredService<MigratorOptions>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new MigrationStatusReader(sp.GetRequiredService<MigratorOptions>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<DatabaseNowReader>();
        services.AddSingleton<DatabaseCommandRunner>();
        services.AddSingleton<IRehearsalConsole>(_ => interactive
            ? new SpectreRehearsalConsole(AnsiConsole.Console)
            : new PlainRehearsalConsole(Console.Out));
        services.AddSingleton(RehearsalPlan.Build);
        var host = builder.Build();
        host.Services.StartTelemetry();
        return host;
    }
}
