using FkHarness.Migrator.Cli;

return await MigratorCommandLine.InvokeAsync(args);
