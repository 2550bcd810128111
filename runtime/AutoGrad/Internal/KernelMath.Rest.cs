using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Internal;

// The last, possibly partial Vector128 of a loop: generated kernels have no scalar tail; they run the Vector128 body
// once more on the elements that are left, padded, so the tail computes exactly what the lanes compute.
public static partial class KernelMath
{
    /// <summary>
    /// The Vector128 at <paramref name="index"/>: loaded whole when <paramref name="end"/> − index ≥ the lane count,
    /// else the elements up to <paramref name="end"/> with the other lanes 0 (nothing past <paramref name="end"/> is read).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LoadRest<T>(ref T source, int index, int end)
    {
        int count = end - index;
        if (count >= Vector128<T>.Count)
        {
            return Vector128.LoadUnsafe(ref source, (nuint)index);
        }

        return LoadPartial(ref Unsafe.Add(ref source, index), count);
    }

    /// <summary>
    /// Stores <paramref name="value"/> at <paramref name="index"/>: whole when <paramref name="end"/> − index ≥ the lane count,
    /// else only the lanes before <paramref name="end"/> (nothing past it is written).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRest<T>(Vector128<T> value, ref T destination, int index, int end)
    {
        int count = end - index;
        if (count >= Vector128<T>.Count)
        {
            Vector128.StoreUnsafe(value, ref destination, (nuint)index);
            return;
        }

        StorePartial(value, ref Unsafe.Add(ref destination, index), count);
    }

    /// <summary>
    /// <paramref name="value"/> with the lanes at or past <paramref name="end"/> replaced by <paramref name="padding"/>
    /// (0 for a sum, −∞ for a max), so that padding never reaches an accumulator.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> KeepRest<T>(Vector128<T> value, int index, int end, T padding)
    {
        int count = end - index;
        if (count >= Vector128<T>.Count)
        {
            return value;
        }

        return Vector128.ConditionalSelect(FirstLanes<T>(count), value, Vector128.Create(padding));
    }

    /// <summary>
    /// The mask of the lanes from <paramref name="first"/> on: the last vector of a row ends at the row's end and overlaps
    /// the one before it, whose lanes below <paramref name="first"/> are done already.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LanesFrom<T>(int first) =>
        Vector256.GreaterThanOrEqual(LaneIndices256<T>(), Vector256.Create(FromLaneNumber<T>(first)));

    /// <summary>
    /// Stores the lanes of <paramref name="value"/> that <paramref name="keep"/> selects at <paramref name="index"/>; the other
    /// lanes keep what is there (written by the vector before, perhaps over an input this value was computed from).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreKept<T>(Vector256<T> value, ref T destination, int index, Vector256<T> keep) =>
        Vector256.StoreUnsafe(Vector256.ConditionalSelect(keep, value, Vector256.LoadUnsafe(ref destination, (nuint)index)), ref destination, (nuint)index);

    /// <summary>0, 1, 2, ... as T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> LaneIndices256<T>()
    {
        if (typeof(T) == typeof(float)) return Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7).As<float, T>();
        return Vector256.Create(0.0, 1, 2, 3).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T FromLaneNumber<T>(int lane) =>
        typeof(T) == typeof(float) ? Unsafe.BitCast<float, T>(lane) : Unsafe.BitCast<double, T>(lane);

    // The first count (0 to lanes − 1) elements, without a loop or a call: a call in a kernel makes the register
    // allocator keep values that live across it on the stack, in the hot loops too.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> LoadPartial<T>(ref T source, int count)
    {
        if (typeof(T) == typeof(float))
        {
            ref float s = ref Unsafe.As<T, float>(ref source);
            float a = count > 0 ? s : 0f;
            float b = count > 1 ? Unsafe.Add(ref s, 1) : 0f;
            float c = count > 2 ? Unsafe.Add(ref s, 2) : 0f;
            return Vector128.Create(a, b, c, 0f).As<float, T>();
        }

        return Vector128.Create(count > 0 ? Unsafe.As<T, double>(ref source) : 0.0, 0.0).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePartial<T>(Vector128<T> value, ref T destination, int count)
    {
        if (count > 0)
        {
            destination = value.GetElement(0);
        }

        if (count > 1)
        {
            Unsafe.Add(ref destination, 1) = value.GetElement(1);
        }

        if (count > 2)
        {
            Unsafe.Add(ref destination, 2) = value.GetElement(2);
        }
    }

    /// <summary>A mask with the first <paramref name="count"/> lanes set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> FirstLanes<T>(int count)
    {
        Vector128<int> lanes = Vector128.Create(0, 1, 2, 3);
        if (Vector128<T>.Count == 2)
        {
            return Vector128.LessThan(Vector128.Create(0L, 1L), Vector128.Create((long)count)).As<long, T>();
        }

        return Vector128.LessThan(lanes, Vector128.Create(count)).As<int, T>();
    }
}
