using System.Text.RegularExpressions;

namespace FkHarness.Rehearsal.Postgres;

/// <summary>
/// The roles a dump names, read from its schema script (<c>pg_restore --schema-only -f -</c>):
/// owners (<c>OWNER TO</c>), grantees (<c>GRANT … TO</c>, <c>REVOKE … FROM</c>), policies'
/// roles (<c>CREATE POLICY … TO</c>) and default privileges' owners (<c>FOR ROLE</c>). Names come
/// back as SQL identifiers, quoted where pg_dump quoted them; PUBLIC and CURRENT_USER are not roles.
/// </summary>
internal static partial class DumpRoleNames
{
    private const string Identifier = "\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*";
    private const string IdentifierList = "(?:" + Identifier + ")(?:, (?:" + Identifier + "))*";

    private static readonly HashSet<string> NotRoles = new(StringComparer.Ordinal) { "PUBLIC", "CURRENT_USER", "SESSION_USER", "CURRENT_ROLE" };

    public static IReadOnlyList<string> Parse(string schemaScript)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var regex in new[] { OwnerTo(), GrantTo(), RevokeFrom(), PolicyTo(), ForRole() })
        {
            foreach (Match match in regex.Matches(schemaScript))
            {
                foreach (var name in IdentifierRegex().Matches(match.Groups["roles"].Value).Select(m => m.Value))
                {
                    if (!NotRoles.Contains(name) && !name.StartsWith("pg_", StringComparison.Ordinal))
                    {
                        names.Add(name);
                    }
                }
            }
        }

        return [.. names];
    }

    /// <summary>The role's name as PostgreSQL stores it (an identifier unquoted).</summary>
    public static string Unquote(string identifier) =>
        identifier.StartsWith('"') ? identifier[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : identifier;

    [GeneratedRegex(Identifier)]
    private static partial Regex IdentifierRegex();

    [GeneratedRegex(" OWNER TO (?<roles>" + Identifier + ");$", RegexOptions.Multiline)]
    private static partial Regex OwnerTo();

    [GeneratedRegex("^GRANT .* TO (?<roles>" + IdentifierList + ")(?: WITH GRANT OPTION)?(?: GRANTED BY .*)?;$", RegexOptions.Multiline)]
    private static partial Regex GrantTo();

    [GeneratedRegex("^REVOKE .* FROM (?<roles>" + IdentifierList + ")(?: CASCADE)?;$", RegexOptions.Multiline)]
    private static partial Regex RevokeFrom();

    [GeneratedRegex("^CREATE POLICY .* TO (?<roles>" + IdentifierList + ")(?: USING| WITH CHECK|;)", RegexOptions.Multiline)]
    private static partial Regex PolicyTo();

    [GeneratedRegex("^ALTER DEFAULT PRIVILEGES FOR ROLE (?<roles>" + Identifier + ")", RegexOptions.Multiline)]
    private static partial Regex ForRole();
}
