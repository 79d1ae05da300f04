using Npgsql;

namespace FkHarness.Catalog;

/// <summary>
/// Masks a password wherever it appears in a text (an exception message, a log line, a report),
/// for the places where text comes from code we do not control.
/// </summary>
public static class SecretRedactor
{
    public const string Mask = "***";

    public static string Redact(string text, string? connectionString)
    {
        if (string.IsNullOrEmpty(text) || string.IsNullOrEmpty(connectionString))
        {
            return text;
        }

        string? password;
        try
        {
            password = new NpgsqlConnectionStringBuilder(connectionString).Password;
        }
        catch (ArgumentException)
        {
            return text;
        }

        return string.IsNullOrEmpty(password) ? text : text.Replace(password, Mask, StringComparison.Ordinal);
    }
}
