using FkHarness.Rehearsal.Commands;

using var signal = new TerminationSignal();
using var owner = OwnerProcessWatch.Start(signal);
return await RehearsalCommandLine.InvokeAsync(args, RehearseAction.RunAsync, signal.Token);
