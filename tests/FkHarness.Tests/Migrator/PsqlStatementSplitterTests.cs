using FkHarness.Migrator.Sql;

namespace FkHarness.Tests.Migrator;

public sealed class PsqlStatementSplitterTests
{
    private static IReadOnlyList<string> Split(string sql) => PsqlStatementSplitter.Split(sql);

    [Fact]
    public void Split_SeparatesStatementsOnSemicolons()
    {
        Assert.Equal(["SELECT 1", "SELECT 2", "SELECT 3"], Split("SELECT 1; SELECT 2;\nSELECT 3"));
    }

    [Fact]
    public void Split_DropsEmptyStatementsAndCommentOnlyTails()
    {
        Assert.Equal(["SELECT 1", "SELECT 2"], Split(";;SELECT 1;;\n ; SELECT 2;\n-- trailing comment\n/* and a block */\n"));
    }

    [Fact]
    public void Split_DropsLeadingLineCommentsLikePsql()
    {
        Assert.Equal(["SELECT 1", "SELECT 2 -- why"], Split("-- header\n-- more\nSELECT 1;\n  -- before two\nSELECT 2 -- why\n;"));
    }

    [Fact]
    public void Split_KeepsSemicolonsInsideSingleQuotedStrings()
    {
        Assert.Equal(["SELECT 'a;b', 'it''s; fine'", "SELECT 2"], Split("SELECT 'a;b', 'it''s; fine'; SELECT 2"));
    }

    [Fact]
    public void Split_TreatsBackslashAsLiteralInStandardStrings()
    {
        // standard_conforming_strings: '\' is a one-character string, so the ; after it splits.
        Assert.Equal([@"SELECT '\'", "SELECT 2"], Split(@"SELECT '\'; SELECT 2"));
    }

    [Fact]
    public void Split_HonoursBackslashEscapesInEStrings()
    {
        Assert.Equal([@"SELECT E'it\'s; \\', e'x\';y'", "SELECT 2"], Split(@"SELECT E'it\'s; \\', e'x\';y'; SELECT 2"));
    }

    [Fact]
    public void Split_DoesNotTakeAnIdentifierEndingInEForAnEString()
    {
        // "type" ends in e: the string after it is a standard one, where \ is literal.
        Assert.Equal([@"SELECT type'\'", "SELECT 2"], Split(@"SELECT type'\'; SELECT 2"));
    }

    [Fact]
    public void Split_KeepsSemicolonsInsideQuotedIdentifiers()
    {
        Assert.Equal(["SELECT 1 AS \"a;\"\"b\"", "SELECT 2"], Split("SELECT 1 AS \"a;\"\"b\"; SELECT 2"));
    }

    [Fact]
    public void Split_KeepsDollarQuotedBodiesWhole()
    {
        const string function = "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; RETURN 1; END $$";
        Assert.Equal([function, "SELECT f()"], Split(function + ";\nSELECT f();"));
    }

    [Fact]
    public void Split_KeepsTaggedDollarQuotesWholeEvenWithNestedDollarQuotes()
    {
        const string block = "DO $outer$ BEGIN EXECUTE $q$SELECT ';'$q$; RAISE NOTICE '$$;'; END $outer$";
        Assert.Equal([block, "SELECT 2"], Split(block + "; SELECT 2"));
    }

    [Fact]
    public void Split_DoesNotTakePositionalParametersForDollarQuotes()
    {
        Assert.Equal(["PREPARE p AS SELECT $1 + $2", "SELECT 2"], Split("PREPARE p AS SELECT $1 + $2; SELECT 2"));
    }

    [Fact]
    public void Split_TakesDollarsInsideIdentifiersAsPartOfTheName()
    {
        Assert.Equal(["SELECT a$b$ FROM t", "SELECT 2"], Split("SELECT a$b$ FROM t; SELECT 2"));
    }

    [Fact]
    public void Split_KeepsSemicolonsInsideLineComments()
    {
        Assert.Equal(["SELECT 1 -- a; b\n + 1", "SELECT 2"], Split("SELECT 1 -- a; b\n + 1; SELECT 2"));
    }

    [Fact]
    public void Split_KeepsSemicolonsInsideNestedBlockComments()
    {
        Assert.Equal(["SELECT /* a; /* nested; */ still; */ 1", "SELECT 2"], Split("SELECT /* a; /* nested; */ still; */ 1; SELECT 2"));
    }

    [Fact]
    public void Split_KeepsSemicolonsInsideParentheses()
    {
        const string rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))";
        Assert.Equal([rule, "SELECT 2"], Split(rule + "; SELECT 2"));
    }

    [Fact]
    public void Split_KeepsSqlStandardFunctionBodiesWhole()
    {
        const string function = """
            CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql
            BEGIN ATOMIC
              SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;
              SELECT x;
            END
            """;
        Assert.Equal([function, "SELECT 2"], Split(function + ";\nSELECT 2;"));
    }

    [Fact]
    public void Split_SplitsTransactionControlLikeAnyStatement()
    {
        // A BEGIN that opens a transaction is not a BEGIN ATOMIC block.
        Assert.Equal(["BEGIN", "SET LOCAL lock_timeout = '1s'", "ALTER TABLE t ADD c int", "COMMIT"],
            Split("BEGIN;\nSET LOCAL lock_timeout = '1s';\nALTER TABLE t ADD c int;\nCOMMIT;"));
    }

    [Fact]
    public void Split_PutsCreateIndexConcurrentlyInAStatementOfItsOwn()
    {
        var statements = Split("""
            BEGIN;
            ALTER TABLE t ADD CONSTRAINT t_u_fkey FOREIGN KEY (u) REFERENCES users (user_id) NOT VALID;
            COMMIT;
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_u ON t (u) WHERE u IS NOT NULL;
            CALL validate_in_batches();
            """);
        Assert.Equal(5, statements.Count);
        Assert.Equal("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_u ON t (u) WHERE u IS NOT NULL", statements[3]);
    }

    [Fact]
    public void Split_LeavesAnUnterminatedStringAsOneStatementForTheServerToReject()
    {
        Assert.Equal(["SELECT 'open; SELECT 2"], Split("SELECT 'open; SELECT 2"));
    }

    [Fact]
    public void Split_HandlesCrLfLineEndings()
    {
        Assert.Equal(["SELECT 1", "SELECT 2"], Split("-- c\r\nSELECT 1;\r\nSELECT 2;\r\n"));
    }

    [Fact]
    public void SplitWithLines_ReportsTheLineEachStatementStartsOn()
    {
        var statements = PsqlStatementSplitter.SplitWithLines("-- header\nBEGIN;\n\nSELECT\n  1;\nCOMMIT;");
        Assert.Equal([2, 4, 6], statements.Select(s => s.Line));
    }

    [Fact]
    public void Split_OfAnEmptyScriptIsEmpty()
    {
        Assert.Empty(Split(""));
        Assert.Empty(Split("  \n-- nothing here\n"));
    }
}
