using FkHarness.Seeder.Cli;
using Microsoft.Extensions.Logging;

using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "HH:mm:ss ";
}));
var console = new SeederConsole(loggers);
var parsed = SeederCommandLine.Build(console.SeedAsync).Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}

return await parsed.InvokeAsync();
