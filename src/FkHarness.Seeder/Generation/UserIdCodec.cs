namespace FkHarness.Seeder.Generation;

/// <summary>
/// Turns a user slot into its <c>users.user_id</c> (<c>usr_</c> + 10 lowercase alphanumerics) with a
/// keyed permutation, so ids look random yet are unique by construction and computable on demand:
/// no table of a million ids has to be held in memory to reference users from other tables.
/// </summary>
internal sealed class UserIdCodec
{
    public const string Prefix = "usr_";
    public const int BodyLength = 10;

    private const ulong Domain = 3_656_158_440_062_976UL; // 36^10
    private const int HalfBits = 26;                       // 2^52 > 36^10
    private const ulong HalfMask = (1UL << HalfBits) - 1;
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    private readonly ulong[] _roundKeys;

    public UserIdCodec(int seed)
    {
        _roundKeys = new ulong[4];
        for (var i = 0; i < _roundKeys.Length; i++)
        {
            _roundKeys[i] = StableHash.Of((ulong)(uint)seed, 0xF00D_0000UL + (ulong)i);
        }
    }

    public string Encode(long slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        var value = (ulong)slot;
        // Cycle-walking: a permutation of [0, 2^52) restricted to [0, 36^10) stays a permutation.
        do
        {
            value = Permute(value);
        }
        while (value >= Domain);

        return string.Create(Prefix.Length + BodyLength, value, static (span, v) =>
        {
            Prefix.AsSpan().CopyTo(span);
            for (var i = span.Length - 1; i >= Prefix.Length; i--)
            {
                span[i] = Alphabet[(int)(v % 36)];
                v /= 36;
            }
        });
    }

    private ulong Permute(ulong value)
    {
        var left = value >> HalfBits;
        var right = value & HalfMask;
        foreach (var key in _roundKeys)
        {
            (left, right) = (right, left ^ (StableHash.Of(right, key) & HalfMask));
        }

        return (left << HalfBits) | right;
    }
}
