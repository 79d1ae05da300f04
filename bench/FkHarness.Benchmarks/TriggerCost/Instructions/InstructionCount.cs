namespace FkHarness.Benchmarks.TriggerCost.Instructions;

/// <summary>What a check adds, in instructions: per single-row statement, or per row of a bulk INSERT.</summary>
internal sealed record InstructionCount(string Check, InsertMethod Method, int IdsPerRow, double Added);
