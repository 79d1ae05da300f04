using System.CommandLine.Parsing;
using System.Globalization;

namespace FkHarness.Rehearsal.Commands;

/// <summary>
/// Parsers for numeric options that say what they want in words a user reads ("--scale takes a
/// number, such as 1 or 0.2; got 'abc'"), not System.CommandLine's "as expected type 'System.Double'".
/// Numbers are read the same in every locale (0.2, never 0,2); NaN and infinities parse, and the
/// range checks refuse them with the range.
/// </summary>
internal static class NumberArgument
{
    public static Func<ArgumentResult, double> Double(string option, string examples) => result =>
    {
        var text = Single(result);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{option} takes a number, such as {examples}; got '{text}'.");
        return 0;
    };

    public static Func<ArgumentResult, int> Integer(string option, string examples) => result =>
    {
        var text = Single(result);
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{option} takes a whole number, such as {examples}; got '{text}'.");
        return 0;
    };

    private static string Single(ArgumentResult result) => result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
}
