using Bogus;

namespace FkHarness.Seeder.Generation;

/// <summary>
/// Everything other tables need to know about users, computed from the slot number alone
/// (id, user_id, kind, creation time), so that referencing users costs no memory.
/// Slot s has <c>users.id = s + 1</c>; slots at or past <see cref="SlotCount"/> never existed.
/// </summary>
internal sealed class UserDirectory
{
    // Users sign up over the first 80% of the timeline; activity runs to the end.
    private const double SignUpFraction = 0.8;

    private readonly ulong _key;
    private readonly UserIdCodec _codec;

    public UserDirectory(int seed, int slotCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slotCount, 1);
        SlotCount = slotCount;
        _key = StableHash.Of((ulong)(uint)seed, StableHash.Of("users"));
        _codec = new UserIdCodec(seed);
    }

    public int SlotCount { get; }

    public static long IdOf(int slot) => slot + 1L;

    public UserSlotKind KindOf(int slot)
    {
        if (slot == 0)
        {
            return UserSlotKind.Person; // the founder: guarantees every search below terminates
        }

        var roll = StableHash.Of(_key, (ulong)slot) % 1000;
        return roll switch
        {
            < 12 => UserSlotKind.Deleted,        // 1.2% of accounts were deleted
            < 18 => UserSlotKind.ServiceAccount, // 0.6% are service accounts
            _ => UserSlotKind.Person,
        };
    }

    /// <summary>The user_id slot <paramref name="slot"/> has (or had, or would have had).</summary>
    public string UserIdOf(int slot) => _codec.Encode(slot);

    /// <summary>
    /// A user_id that no users row holds, unique per <paramref name="ownerSlot"/>: the id of an account
    /// deleted before its rows were cleaned up. Taken from past the end of the table, so it can never
    /// collide with a real id, and unique per owner so composite unique keys still hold.
    /// </summary>
    public string DeletedUserIdFor(int ownerSlot) => _codec.Encode((long)SlotCount + ownerSlot);

    /// <summary>A <c>usr_</c>-shaped id that no user ever had and no orphan uses: bait for external-id columns.</summary>
    public string NobodyIdFor(long n) => _codec.Encode(2L * SlotCount + (n % SlotCount));

    public DateTime CreatedAt(int slot) => Timeline.At(SignUpFraction * slot / SlotCount);

    /// <summary>The fraction of the slots that had signed up by <paramref name="timelineFraction"/> of the timeline.</summary>
    public static double SignedUpBy(double timelineFraction) => Math.Clamp(timelineFraction / SignUpFraction, 0, 1);

    /// <summary>
    /// A person who had signed up by <paramref name="timelineFraction"/>, skewed towards the earliest
    /// accounts (<paramref name="skew"/> 1 = uniform, 3 = the first tenth own about half).
    /// </summary>
    public int PickPerson(Randomizer random, double skew, double timelineFraction = 1) =>
        Pick(random, skew, timelineFraction, UserSlotKind.Person);

    /// <summary>Like <see cref="PickPerson"/> but service accounts qualify: for users.id references.</summary>
    public int PickAccount(Randomizer random, double skew, double timelineFraction = 1) =>
        Pick(random, skew, timelineFraction, UserSlotKind.ServiceAccount);

    /// <summary>A users.id that no row has: a deleted account's id, one past the end, or the 0 a bug wrote.</summary>
    public long InvalidId(Randomizer random)
    {
        var roll = random.Double();
        if (roll < 0.6 && TryFindDeleted(random.Number(0, SlotCount - 1), out var deleted))
        {
            return IdOf(deleted);
        }

        return roll < 0.9 ? SlotCount + 1L + random.Number(0, SlotCount) : 0L;
    }

    private int Pick(Randomizer random, double skew, double timelineFraction, UserSlotKind alsoAllowed)
    {
        var available = Math.Max(1, (int)(SlotCount * SignedUpBy(timelineFraction)));
        var slot = (int)(available * Math.Pow(random.Double(), skew));
        while (true)
        {
            var kind = KindOf(slot);
            if (kind == UserSlotKind.Person || kind == alsoAllowed)
            {
                return slot;
            }

            slot = slot + 1 < available ? slot + 1 : 0;
        }
    }

    private bool TryFindDeleted(int from, out int slot)
    {
        // Deleted slots are ~1.2%: a short forward scan finds one; tiny tables may have none.
        for (var step = 0; step < Math.Min(SlotCount, 4000); step++)
        {
            slot = (from + step) % SlotCount;
            if (KindOf(slot) == UserSlotKind.Deleted)
            {
                return true;
            }
        }

        slot = -1;
        return false;
    }
}
