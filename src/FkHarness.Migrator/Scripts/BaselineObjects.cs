using System.Text.RegularExpressions;
using FkHarness.Migrator.Sql;

namespace FkHarness.Migrator.Scripts;

/// <summary>The schemas and tables a baseline script creates, read from its CREATE statements.</summary>
internal static partial class BaselineObjects
{
    public static (IReadOnlyList<string> Schemas, IReadOnlyList<string> Tables) Read(string script)
    {
        var schemas = new List<string>();
        var tables = new List<string>();
        foreach (var statement in PsqlStatementSplitter.Split(script))
        {
            var text = StripComments(statement);
            if (CreateSchema().Match(text) is { Success: true } schema)
            {
                schemas.Add(schema.Groups["name"].Value);
            }
            else if (CreateTable().Match(text) is { Success: true } table)
            {
                tables.Add(table.Groups["name"].Value);
            }
        }

        return (schemas, tables);
    }

    private static string StripComments(string statement) => BlockComment().Replace(LineComment().Replace(statement, " "), " ").Trim();

    [GeneratedRegex(@"^CREATE\s+SCHEMA\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<name>[A-Za-z_][\w$]*)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateSchema();

    [GeneratedRegex(@"^CREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<name>[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();
}
