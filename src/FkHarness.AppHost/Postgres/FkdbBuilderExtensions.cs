using FkHarness.AppHost.Cli;

namespace FkHarness.AppHost.Postgres;

/// <summary>The database <c>fkdb</c>, one contract (ConnectionStrings__fkdb) whichever PostgreSQL serves it.</summary>
internal static class FkdbBuilderExtensions
{
    public const string ServerName = "postgres";
    public const string DatabaseName = "fkdb";

    /// <summary>The arguments the rehearsal needs for this kind: its own fresh database on an existing server, else fkdb as it is.</summary>
    public static IReadOnlyList<string> RehearsalArguments(this PostgresChoice choice) =>
        choice.Kind == PostgresKind.Existing ? [] : ["--use-fkdb"];

    public static IResourceBuilder<IResourceWithConnectionString> AddFkdb(this IDistributedApplicationBuilder builder, PostgresChoice choice) => choice.Kind switch
    {
        PostgresKind.Local => builder.AddLocalPostgres(ServerName, choice.Port).AddDatabase(DatabaseName),
        PostgresKind.Container => builder.AddContainerPostgres(ServerName, choice.Image).AddDatabase(DatabaseName),
        _ => builder.AddExistingServer(choice.ConnectionString!),
    };

    private static IResourceBuilder<IResourceWithConnectionString> AddExistingServer(this IDistributedApplicationBuilder builder, string connectionString)
    {
        builder.Configuration[$"ConnectionStrings:{DatabaseName}"] = connectionString;
        return builder.AddConnectionString(DatabaseName);
    }
}
