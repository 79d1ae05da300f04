using System.Security.Cryptography;
using System.Text;

namespace FkHarness.Migrator.Scripts;

/// <summary>One SQL file of a migration set: its journal name, where it is, its text and that text's checksum.</summary>
public sealed record MigrationScript(string Name, string Path, string Contents)
{
    /// <summary>
    /// SHA-256 (hex) of the text with line endings normalised to \n, so a checkout on Windows
    /// (CRLF) and one on Linux agree, while any real edit is drift.
    /// </summary>
    public string Checksum { get; } = ComputeChecksum(Contents);

    public string FileName => System.IO.Path.GetFileName(Path);

    public static string ComputeChecksum(string contents)
    {
        var normalised = contents.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    /// <exception cref="MigrationSetException">The file cannot be read (missing, a dangling link, no permission, …).</exception>
    public static MigrationScript Load(string name, string path)
    {
        try
        {
            return new(name, path, File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MigrationSetException($"Cannot read the migration script {path}: {e.Message} Fix the file (or its permissions), or pass --migrations with another folder.");
        }
    }
}
