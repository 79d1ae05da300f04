using FkHarness.Rehearsal.Commands;

using var signal = new TerminationSignal();
return await RehearsalCommandLine.InvokeAsync(args, RehearseAction.RunAsync, signal.Token);
