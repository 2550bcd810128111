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

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector128<T> LoadPartial<T>(ref T source, int count)
    {
        Vector128<T> v = Vector128<T>.Zero;
        for (int k = 0; k < count; k++)
        {
            v = v.WithElement(k, Unsafe.Add(ref source, k));
        }

        return v;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StorePartial<T>(Vector128<T> value, ref T destination, int count)
    {
        for (int k = 0; k < count; k++)
        {
            Unsafe.Add(ref destination, k) = value.GetElement(k);
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
