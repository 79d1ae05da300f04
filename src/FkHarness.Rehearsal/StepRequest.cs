namespace FkHarness.Rehearsal;

/// <summary><c>--step NAME --run-folder DIR [--run-id ID]</c>: one step of a rehearsal whose steps run as separate processes.</summary>
/// <param name="Name">The step (a resource name of the AppHost: <c>baseline</c>, <c>migrate-025</c>, <c>report</c>).</param>
/// <param name="RunFolder">The rehearsal's artifacts folder; its <c>state/</c> carries what the steps found.</param>
/// <param name="RunId">The run id, for the first step (later ones read it from the state).</param>
internal sealed record StepRequest(string Name, string? RunFolder, string? RunId);
