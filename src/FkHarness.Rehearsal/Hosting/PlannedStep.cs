using FkHarness.Rehearsal.Pipeline;

namespace FkHarness.Rehearsal.Hosting;

/// <summary>One named step of the plan (an AppHost resource) and how to make the stages it runs.</summary>
/// <param name="Name">The resource name: letters, digits and hyphens (<c>migrate-025</c>).</param>
/// <param name="Stages">Makes the step's stages from the rehearsal's services.</param>
internal sealed record PlannedStep(string Name, Func<IServiceProvider, IReadOnlyList<IRehearsalStage>> Stages);
