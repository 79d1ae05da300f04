using System.Text;
using Bogus;
using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Planting;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct ErrorLogRow(
    long Id, string? UserId, string? SessionId, string Severity, string Message, string? StackTrace, DateTime OccurredAt);

/// <summary>
/// The biggest table: errors and warnings with .NET-shaped stack traces. A third come from
/// background jobs with no user; sessions are ids from the edge, not references.
/// Finding 3 (nullable FK on user_id: 025 nulls orphans) and finding 14 (session_id: external).
/// </summary>
internal sealed class ErrorLogsTable : SeedTable<ErrorLogRow>
{
    private readonly SeedContext _context;
    private readonly TextOrphanPlanter _userPlanter;
    private readonly ExternalIdPlanter _sessionPlanter;
    // Distinct stack traces per service: real logs repeat the same few failures over and over, and
    // rendering each trace once (not per row) took generation of this table from ~80% of the
    // seeder's client CPU to a small share.
    private const int TracesPerService = 48;

    public ErrorLogsTable(SeedContext context)
    {
        _context = context;
        _userPlanter = context.TextPlanter(Name, "user_id", nullable: true);
        _sessionPlanter = context.ExternalIdPlanter(Name, "session_id");
    }

    public override string Name => "error_logs";

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Text("user_id", nullable: true), SeedColumn.Text("session_id", nullable: true),
        SeedColumn.Text("severity"), SeedColumn.Text("message"), SeedColumn.Text("stack_trace", nullable: true),
        SeedColumn.Timestamp("occurred_at"),
    ];

    protected override IEnumerable<ErrorLogRow> Generate()
    {
        var random = _context.FakerFor(Name).Random;
        var count = _context.Plan.ErrorLogs;
        var clock = _context.ClockKey(Name);
        var users = _context.Users;
        var traces = PlatformVocabulary.Services.ToDictionary(
            service => service,
            service => Enumerable.Range(0, TracesPerService).Select(_ => StackTrace(random, service)).ToArray());
        for (long id = 1; id <= count; id++)
        {
            var when = Timeline.ActivityFraction(id, count, clock);
            var owner = users.PickPerson(random, skew: 2, when);
            var background = Skewed.Chance(random, 0.35);
            var userId = background ? null : users.UserIdOf(owner);
            var session = background && Skewed.Chance(random, 0.5) ? null : "sess_" + Convert.ToHexStringLower(random.Bytes(12));
            var (severity, template) = Skewed.Pick(random, PlatformVocabulary.ErrorMessages, skew: 1.4);
            var service = Skewed.Pick(random, PlatformVocabulary.Services, skew: 2);
            var message = string.Format(
                System.Globalization.CultureInfo.InvariantCulture, template,
                random.Number(100, 30_000), service, random.ArrayElement(PlatformVocabulary.Tables), random.Number(2, 5));
            var trace = severity == "warning" ? null : Skewed.Pick(random, traces[service], skew: 2);

            var storedUser = _userPlanter.Apply(id, owner, userId);
            var storedSession = _sessionPlanter.Apply(id, session);
            yield return new ErrorLogRow(id, storedUser, storedSession, severity, message, trace, Timeline.At(when));
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in ErrorLogRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteText(row.UserId);
        importer.WriteText(row.SessionId);
        importer.WriteText(row.Severity);
        importer.WriteText(row.Message);
        importer.WriteText(row.StackTrace);
        importer.WriteTimestamp(row.OccurredAt);
    }

    private static string StackTrace(Randomizer random, string service)
    {
        var root = Namespaces[service];
        var trace = new StringBuilder(1024);
        for (var frames = random.Number(3, 9); frames > 0; frames--)
        {
            var component = random.ArrayElement(PlatformVocabulary.Components);
            var method = random.ArrayElement(PlatformVocabulary.Methods);
            trace.Append("   at ").Append(root).Append('.').Append(component).Append('.').Append(method)
                .Append("() in /src/").Append(service).Append('/').Append(component.Replace('.', '/')).Append(".cs:line ")
                .Append(random.Number(12, 900)).Append('\n');
        }

        return trace.ToString(0, trace.Length - 1);
    }

    // "checkout-api" -> "Northwind.CheckoutApi", computed once rather than per stack trace.
    private static readonly Dictionary<string, string> Namespaces = PlatformVocabulary.Services.ToDictionary(
        service => service,
        service => "Northwind." + string.Concat(service.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..])));
}
