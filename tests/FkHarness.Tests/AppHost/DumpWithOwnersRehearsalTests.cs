using System.Security.Cryptography;
using CliWrap;
using CliWrap.Buffered;
using FkHarness.Provisioning;
using FkHarness.Tests.Infrastructure;
using FkHarness.Tests.Migrations;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.AppHost;

/// <summary>
/// --from-dump of a staging-shaped dump (tables owned by a role that is not a superuser, a
/// least-privilege writer and a users-only admin): restored with its owners and grants, the roles
/// created for it, and the migrations run as the owner, so what needs more than the owner fails here as on staging.
/// </summary>
[Collection(AppHostTests.Name)]
public sealed class DumpWithOwnersRehearsalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task FromDump_WithANonSuperuserOwner_RestoresOwnersAndGrants_AndMigratesAndRollsBackAsTheOwner()
    {
        await using var dump = await StagingDump.CreateAsync();
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-owners-").FullName;
        try
        {
            using var run = await AppHostProcess.RunAsync(["--from-dump", dump.Path, "--rollback", "--artifacts", artifacts]);
            output.WriteLine(run.Describe());

            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Contains($"restored with its owners and grants; roles created for it (NOLOGIN): {dump.Reader}, {dump.Admin}, {dump.Owner}, {dump.Writer}", run.Output);
            Assert.Contains($"applied 025_add_missing_text_fk_constraints as {dump.Owner}", run.Output);
            Assert.Contains($"applied 026_add_array_fk_validation as {dump.Owner}", run.Output);
            Assert.Contains($"as {dump.Owner}", run.Output[run.Output.IndexOf("stage rollback 025", StringComparison.Ordinal)..]);
            var rehearsal = AppHostRun.ReadReport(artifacts)["rehearsal"]!;
            Assert.Equal(dump.Owner, rehearsal["migrated_as"]!.GetValue<string>());
            Assert.False(rehearsal["migrated_as_superuser"]!.GetValue<bool>());
            Assert.Equal([dump.Reader, dump.Admin, dump.Owner, dump.Writer], rehearsal["roles_created_for_dump"]!.AsArray().Select(r => r!.GetValue<string>()));
            Assert.Contains($"<dt>Run as</dt><dd>{dump.Owner} (SET ROLE; owner of the rehearsal database)</dd>", await File.ReadAllTextAsync(Path.Combine(artifacts, "report.html")));
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    [Fact]
    public async Task FromDump_WithAMigrationThatNeedsASuperuser_FailsThereAsOnStaging()
    {
        await using var dump = await StagingDump.CreateAsync();
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-owners-").FullName;
        var migrations = Directory.CreateTempSubdirectory("fkh-apphost-migrations-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(MigrationFiles.Directory))
            {
                File.Copy(file, Path.Combine(migrations, Path.GetFileName(file)));
            }

            await File.WriteAllTextAsync(Path.Combine(migrations, "027_log_ddl.up.sql"), """
                CREATE OR REPLACE FUNCTION public.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
                CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION public.log_ddl();
                """);
            await File.WriteAllTextAsync(Path.Combine(migrations, "027_log_ddl.down.sql"), "DROP EVENT TRIGGER IF EXISTS log_ddl;\nDROP FUNCTION IF EXISTS public.log_ddl();\n");

            using var run = await AppHostProcess.RunAsync(["--from-dump", dump.Path, "--migrations", migrations, "--artifacts", artifacts]);
            output.WriteLine(run.Describe());

            Assert.NotEqual(0, run.ExitCode);
            var rehearsal = AppHostRun.ReadReport(artifacts)["rehearsal"]!;
            Assert.Equal("migrate 027", rehearsal["failed_stage"]!.GetValue<string>());
            Assert.Contains("permission denied to create event trigger", rehearsal["error"]!.GetValue<string>());
            Assert.Equal(dump.Owner, rehearsal["migrated_as"]!.GetValue<string>());
            Assert.Contains($"applied 026_add_array_fk_validation as {dump.Owner}", run.Output);
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
            Directory.Delete(migrations, recursive: true);
        }
    }

    /// <summary>A pg_dump -Fc of the baseline, shaped like staging; its source database and roles are gone once it is written.</summary>
    private sealed class StagingDump : IAsyncDisposable
    {
        private StagingDump(string suffix)
        {
            Owner = $"app_owner_{suffix}";
            Writer = $"app_writer_{suffix}";
            Admin = $"app_admin_{suffix}";
            Reader = $"App Reader {suffix}";
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"fkh-staging-{suffix}.dump");
        }

        public string Owner { get; }

        public string Writer { get; }

        public string Admin { get; }

        /// <summary>A name pg_dump must quote, known to the dump only through a policy and a grant.</summary>
        public string Reader { get; }

        public string Path { get; }

        public static async Task<StagingDump> CreateAsync()
        {
            var dump = new StagingDump(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
            var cluster = await SharedCluster.GetAsync();
            var source = $"dumpsrc_{dump.Owner}";
            await ExecuteAsync(cluster.ConnectionString(), $"CREATE DATABASE \"{source}\"");
            var sourceConnection = cluster.ConnectionString(source);
            var baseline = await Psql.RunFileAsync(sourceConnection, MigrationFiles.Baseline);
            Assert.True(baseline.ExitCode == 0, baseline.StandardError);
            // The harness's own schema is not in a staging dump.
            await ExecuteAsync(sourceConnection, ArrayForeignKeyTests.Targets + $"""
                DROP SCHEMA fkharness CASCADE;
                CREATE ROLE "{dump.Owner}" NOLOGIN;
                CREATE ROLE "{dump.Writer}" NOLOGIN;
                CREATE ROLE "{dump.Admin}" NOLOGIN;
                CREATE ROLE "{dump.Reader}" NOLOGIN;
                DO $$
                DECLARE t text;
                BEGIN
                    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
                        EXECUTE format('ALTER TABLE public.%I OWNER TO %I', t, '{dump.Owner}');
                    END LOOP;
                END
                $$;
                GRANT SELECT ON public.users, public.alert_conditions TO "{dump.Writer}";
                GRANT SELECT, INSERT, UPDATE ON public.deployment_approvals, public.alert_escalations, public.approval_rules, public.alert_condition_groups TO "{dump.Writer}";
                GRANT SELECT, DELETE ON public.users TO "{dump.Admin}";
                GRANT SELECT ON public.alert_conditions TO "{dump.Reader}";
                CREATE POLICY readers ON public.alert_conditions FOR SELECT TO "{dump.Reader}" USING (true);
                """);
            var target = new NpgsqlConnectionStringBuilder(sourceConnection);
            var pgDump = await Cli.Wrap(PostgresBinaries.Locate().PgDump)
                .WithArguments(["-Fc", "-f", dump.Path])
                .WithEnvironmentVariables(env => env
                    .Set("PGHOST", target.Host).Set("PGPORT", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Set("PGUSER", target.Username).Set("PGPASSWORD", target.Password).Set("PGDATABASE", source))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync();
            Assert.True(pgDump.ExitCode == 0, pgDump.StandardError);
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(cluster.ConnectionString(), $"DROP DATABASE \"{source}\" WITH (FORCE)");
            await ExecuteAsync(cluster.ConnectionString(), $"DROP ROLE \"{dump.Owner}\", \"{dump.Writer}\", \"{dump.Admin}\", \"{dump.Reader}\"");
            return dump;
        }

        public ValueTask DisposeAsync()
        {
            File.Delete(Path);
            return ValueTask.CompletedTask;
        }

        private static async Task ExecuteAsync(string connectionString, string sql)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
