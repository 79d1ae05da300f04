using DbUp.Postgresql;
using FkHarness.Migrator.Sql;
using Npgsql;

namespace FkHarness.Migrator.Execution;

/// <summary>
/// DbUp's PostgreSQL connection manager, but sending each statement as a command of its own,
/// split where psql splits (<see cref="PsqlStatementSplitter"/>): so a script behaves the same
/// under DbUp as under <c>psql -f</c>, CREATE INDEX CONCURRENTLY and COMMIT-ing procedures included.
/// </summary>
internal sealed class StatementSplittingConnectionManager(NpgsqlDataSource dataSource) : PostgresqlConnectionManager(dataSource)
{
    public override IEnumerable<string> SplitScriptIntoCommands(string scriptContents) =>
        PsqlStatementSplitter.Split(scriptContents);
}
