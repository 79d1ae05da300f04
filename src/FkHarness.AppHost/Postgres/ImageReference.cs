namespace FkHarness.AppHost.Postgres;

/// <summary>Splits <c>registry/name:tag</c> (registry and tag optional) the way WithImageRegistry/WithImage want it.</summary>
internal static class ImageReference
{
    public static (string? Registry, string Name, string Tag) Parse(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        string? registry = null;
        var rest = image;
        // Only a first part that looks like a host (a dot, a port, or localhost) is a registry, as docker reads it.
        if (slash > 0 && (image[..slash].Contains('.', StringComparison.Ordinal) || image[..slash].Contains(':', StringComparison.Ordinal) || image[..slash] == "localhost"))
        {
            registry = image[..slash];
            rest = image[(slash + 1)..];
        }

        var colon = rest.LastIndexOf(':');
        return colon > 0 ? (registry, rest[..colon], rest[(colon + 1)..]) : (registry, rest, "latest");
    }
}
