using FkHarness.Catalog;
using FkHarness.Migrator.Errors;
using Npgsql;

namespace FkHarness.Tests.Catalog;

/// <summary>
/// The redactor masks a password where a connection string, a libpq conninfo, a URI or
/// PGPASSWORD carries it, and nowhere else: a short password (<c>x</c>) or one equal to the user
/// and the database (<c>postgres</c>) must leave host names, messages and names as they were.
/// </summary>
public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("Host=h;Port=5432;Password=s3cret;Username=u", "Host=h;Port=5432;Password=***;Username=u")]
    [InlineData("host=h;password=s3cret", "host=h;password=***")]
    [InlineData("Host=h;Pwd=s3cret", "Host=h;Pwd=***")]
    [InlineData("Host=h;Password=\"se;c\"\"ret\";Username=u", "Host=h;Password=***;Username=u")]
    [InlineData("Host=h;Password='se;c''ret';Username=u", "Host=h;Password=***;Username=u")]
    [InlineData("Host=h;Password=two words;Username=u", "Host=h;Password=***;Username=u")]
    [InlineData("host=h password=s3cret dbname=d user=u", "host=h password=*** dbname=d user=u")]
    [InlineData("host=h password='se cr\\'et' dbname=d", "host=h password=*** dbname=d")]
    [InlineData("postgres://u:s3cret@h:5432/d", "postgres://u:***@h:5432/d")]
    [InlineData("postgresql://u:s3@cret@h/d?sslmode=disable", "postgresql://u:***@h/d?sslmode=disable")]
    [InlineData("PGPASSWORD=s3cret pg_dump -Fc d", "PGPASSWORD=*** pg_dump -Fc d")]
    [InlineData("invalid connection string \"host=h password=s3cret\": missing \"=\"", "invalid connection string \"host=h password=***")]
    public void AConnectionStringsPassword_IsMasked(string text, string expected)
    {
        var redacted = SecretRedactor.Redact(text);

        Assert.StartsWith(expected, redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("s3", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("cret", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Could not connect to PostgreSQL at db.nonexistent.invalid:5432/postgres as u: Name or service not known.")]
    [InlineData("Received unexpected response for SSL upgrade request (expecting S or N)")]
    [InlineData("Could not connect to PostgreSQL at 127.0.0.1:1/postgres as postgres: Connection refused.")]
    [InlineData("password authentication failed for user \"postgres\" (SQLSTATE 28P01)")]
    [InlineData("postgres://h:5432/d and postgres://u@h/d")]
    [InlineData("Host=h;Password=;Username=u")]
    public void TextWithoutAPasswordInIt_IsUnchanged(string text)
    {
        Assert.Equal(text, SecretRedactor.Redact(text));
    }

    [Fact]
    public async Task AnUnreachableHost_IsNamedInFull_WhenThePasswordIsOneOfItsLetters()
    {
        var cs = "Host=db.nonexistent.invalid;Port=5432;Database=postgres;Username=u;Password=x;Timeout=5";

        var message = await ConnectFailureAsync(cs);

        Assert.Contains("db.nonexistent.invalid:5432/postgres as u", message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretRedactor.Mask, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserAndDatabaseNamedLikeThePassword_AreNamedInFull()
    {
        var cs = "Host=127.0.0.1;Port=1;Database=postgres;Username=postgres;Password=postgres;Timeout=5";

        var message = await ConnectFailureAsync(cs);

        Assert.Contains("127.0.0.1:1/postgres as postgres", message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretRedactor.Mask, message, StringComparison.Ordinal);
    }

    /// <summary>What the migrator tells a user when it cannot connect: Npgsql's real exception, described and redacted.</summary>
    private static async Task<string> ConnectFailureAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => connection.OpenAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        return ErrorDescriber.Describe(failure, "status", connectionString).Message;
    }
}
