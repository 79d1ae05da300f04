using System.Text.RegularExpressions;

namespace FkHarness.Migrator.LockHolds;

/// <summary>A statement's first words, past its leading comments: its kind and a one-line label for reports.</summary>
internal static partial class StatementHead
{
    private const int MaxLabelLength = 120;

    public static string Label(string sql)
    {
        var oneLine = string.Join(' ', WithoutLeadingComments(sql).Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries)).TrimEnd(';');
        return oneLine.Length <= MaxLabelLength ? oneLine : oneLine[..MaxLabelLength] + "…";
    }

    public static StatementKind KindOf(string sql)
    {
        var head = WithoutLeadingComments(sql);
        if (BlockStart().IsMatch(head))
        {
            return StatementKind.BeginsBlock;
        }

        if (BlockEnd().IsMatch(head) && !RollbackToSavepoint().IsMatch(head))
        {
            return StatementKind.EndsBlock;
        }

        return CallOrDo().IsMatch(head) ? StatementKind.CommitsInside : StatementKind.Plain;
    }

    /// <summary>
    /// The table of a CREATE INDEX CONCURRENTLY (or REINDEX … CONCURRENTLY of a table), which holds
    /// SHARE UPDATE EXCLUSIVE on it from its start to its end, across its own transactions; null for any other statement.
    /// </summary>
    public static string? ConcurrentIndexTable(string sql)
    {
        var match = ConcurrentIndexBuild().Match(WithoutLeadingComments(sql));
        // Named as TableLockQuery names a table: public's bare (026 writes public.x, 025 x).
        return match.Success ? match.Groups["table"].Value is var table && table.StartsWith("public.", StringComparison.Ordinal) ? table["public.".Length..] : table : null;
    }

    /// <summary>The table of a CREATE [OR REPLACE] [CONSTRAINT] TRIGGER (public's bare, as <see cref="ConcurrentIndexTable"/>); null for any other statement.</summary>
    public static string? TriggerTable(string sql)
    {
        var match = TriggerCreation().Match(WithoutLeadingComments(sql));
        return match.Success ? Bare(match.Groups["table"].Value) : null;
    }

    /// <summary>The name of the index or trigger a CREATE INDEX CONCURRENTLY or CREATE TRIGGER makes; null otherwise (or for an unnamed index).</summary>
    public static string? CreatedName(string sql)
    {
        var head = WithoutLeadingComments(sql);
        var trigger = TriggerCreation().Match(head);
        if (trigger.Success)
        {
            return trigger.Groups["name"].Value;
        }

        var index = ConcurrentIndexBuild().Match(head);
        return index.Success && index.Groups[3].Success ? index.Groups[3].Value.Trim() : null;
    }

    private static string Bare(string table) => table.StartsWith("public.", StringComparison.Ordinal) ? table["public.".Length..] : table;

    private static string WithoutLeadingComments(string sql)
    {
        var rest = sql.AsSpan().TrimStart();
        while (true)
        {
            if (rest.StartsWith("--"))
            {
                var end = rest.IndexOf('\n');
                rest = end < 0 ? [] : rest[(end + 1)..].TrimStart();
            }
            else if (rest.StartsWith("/*"))
            {
                var end = rest.IndexOf("*/");
                rest = end < 0 ? [] : rest[(end + 2)..].TrimStart();
            }
            else
            {
                return rest.ToString();
            }
        }
    }

    [GeneratedRegex(@"^(BEGIN\b(?!\s+ATOMIC)|START\s+TRANSACTION\b)", RegexOptions.IgnoreCase)]
    private static partial Regex BlockStart();

    [GeneratedRegex(@"^(COMMIT|END|ROLLBACK|ABORT|PREPARE\s+TRANSACTION)\b", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex(@"^ROLLBACK\s+(WORK\s+|TRANSACTION\s+)?TO\b", RegexOptions.IgnoreCase)]
    private static partial Regex RollbackToSavepoint();

    [GeneratedRegex(@"^CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(IF\s+NOT\s+EXISTS\s+)?(\S+\s+)?ON\s+(ONLY\s+)?(?<table>[^\s(]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ConcurrentIndexBuild();

    [GeneratedRegex(@"^CREATE\s+(OR\s+REPLACE\s+)?(CONSTRAINT\s+)?TRIGGER\s+(?<name>\S+)\s.*?\bON\s+(?<table>[^\s(]+)", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TriggerCreation();

    [GeneratedRegex(@"^(CALL|DO)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CallOrDo();
}
