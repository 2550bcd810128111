using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace AutoGrad.Internal;

/// <summary>
/// Runs a generated batch kernel over fixed chunks of a batch, on the calling thread or across cores
/// (<see cref="AutoGradSettings"/>), and checks its arguments. Used by generated code; not part of the public contract.
/// </summary>
/// <remarks>
/// <para>
/// A batch is cut into chunks of <see cref="ChunkElements"/> elements (examples × classes), rounded to whole
/// examples (rows). The boundaries depend only on the batch's shape, never on the number of cores, and the
/// chunks' loss sums are added in chunk order, so a kernel's results are bitwise identical whether it runs
/// on one core or on many.
/// </para>
/// <para>
/// To hand the caller's spans to worker threads they are pinned for the duration of the call. Outputs are
/// written only at their own index; an output may be the very same span as an input (in-place), but must not
/// overlap one otherwise.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BatchRunner
{
    /// <summary>The size of a chunk in elements (examples × classes).</summary>
    public const int ChunkElements = 16384;

    /// <summary>The number of examples (rows) in a chunk: <see cref="ChunkElements"/> / elements per example, at least 1.</summary>
    /// <param name="elementsPerItem">Elements per example: 1 for a scalar loss, the class count for a vector loss.</param>
    public static int ItemsPerChunk(int elementsPerItem) => Math.Max(1, ChunkElements / Math.Max(1, elementsPerItem));

    /// <summary>
    /// Runs <paramref name="chunk"/> over examples (rows) 0 to <paramref name="count"/> − 1 in fixed chunks and
    /// returns the sum of the chunks' results, added in chunk order.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="args">The call's spans.</param>
    /// <param name="count">The number of examples (rows).</param>
    /// <param name="elementsPerItem">Elements per example: 1 for a scalar loss, the class count for a vector loss.</param>
    /// <param name="chunk">The kernel of one chunk.</param>
    public static double Run<T>(scoped in BatchArgs<T> args, int count, int elementsPerItem, BatchChunk<T> chunk)
        where T : unmanaged
    {
        int perChunk = ItemsPerChunk(elementsPerItem);
        if (count <= perChunk)
        {
            return chunk(in args, 0, count);
        }

        int chunks = (int)(((long)count + perChunk - 1) / perChunk);
        int degree = AutoGradSettings.DegreeOfParallelismFor((long)count * Math.Max(1, elementsPerItem), chunks);
        if (degree <= 1)
        {
            double total = 0;
            for (int c = 0; c < chunks; c++)
            {
                int start = c * perChunk;
                total += chunk(in args, start, Math.Min(count, start + perChunk));
            }

            return total;
        }

        var pinned = new PinnedCall<T>(chunk, count, perChunk, chunks, degree, args.Scale, args.Classes);
        return PinAndRun(in args, 0, pinned);
    }

    /// <summary>Throws the <see cref="ArgumentException"/> of a span of the wrong length.</summary>
    /// <param name="parameter">The parameter's name.</param>
    /// <param name="actual">Its length.</param>
    /// <param name="expected">The length it needs.</param>
    /// <param name="why">What the length follows, e.g. "one per example, as z".</param>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowLength(string parameter, int actual, long expected, string why) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{parameter} has {actual} elements; it needs {expected} ({why})."),
            parameter);

    /// <summary>Throws the <see cref="ArgumentException"/> of a batch × classes span whose length is not a multiple of the class count.</summary>
    /// <param name="parameter">The parameter's name.</param>
    /// <param name="actual">Its length.</param>
    /// <param name="classes">The class count.</param>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowRows(string parameter, int actual, int classes) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{parameter} has {actual} elements, which is not a whole number of rows of {classes} classes (it is batch × classes, row-major)."),
            parameter);

    /// <summary>Throws if the class count is not positive.</summary>
    /// <param name="classes">The class count.</param>
    /// <param name="parameter">The parameter's name.</param>
    public static void CheckClasses(int classes, string parameter)
    {
        if (classes <= 0)
        {
            throw new ArgumentOutOfRangeException(parameter, classes, "The class count must be positive.");
        }
    }

    /// <summary>Throws if <paramref name="reduction"/> is not a defined <see cref="Reduction"/>.</summary>
    /// <param name="reduction">The reduction.</param>
    /// <param name="parameter">The parameter's name.</param>
    public static void CheckReduction(Reduction reduction, string parameter)
    {
        if (reduction is not (Reduction.Mean or Reduction.Sum))
        {
            throw new ArgumentOutOfRangeException(parameter, reduction, "The reduction must be Reduction.Mean or Reduction.Sum.");
        }
    }

    // ---- across cores --------------------------------------------------------------------------

    /// <summary>Pins input and output slots one by one (each `fixed` stays open while the deeper ones run), then runs.</summary>
    private static unsafe double PinAndRun<T>(scoped in BatchArgs<T> args, int slot, PinnedCall<T> call)
        where T : unmanaged
    {
        while (slot < 2 * BatchArgs<T>.Slots)
        {
            ReadOnlySpan<T> span = slot < BatchArgs<T>.Slots ? args.GetIn(slot) : args.GetOut(slot - BatchArgs<T>.Slots);
            if (!span.IsEmpty)
            {
                fixed (T* p = span)
                {
                    call.Addresses[slot] = (nint)p;
                    call.Lengths[slot] = span.Length;
                    return PinAndRun(in args, slot + 1, call);
                }
            }

            slot++;
        }

        return call.Execute();
    }

    /// <summary>A call whose spans are pinned: their addresses, and how to rebuild them on a worker thread.</summary>
    private sealed unsafe class PinnedCall<T>
        where T : unmanaged
    {
        private readonly BatchChunk<T> _chunk;
        private readonly int _count;
        private readonly int _perChunk;
        private readonly int _chunks;
        private readonly int _degree;
        private readonly T _scale;
        private readonly int _classes;
        private readonly double[] _partial;

        public PinnedCall(BatchChunk<T> chunk, int count, int perChunk, int chunks, int degree, T scale, int classes)
        {
            _chunk = chunk;
            _count = count;
            _perChunk = perChunk;
            _chunks = chunks;
            _degree = degree;
            _scale = scale;
            _classes = classes;
            _partial = new double[chunks];
        }

        public nint[] Addresses { get; } = new nint[2 * BatchArgs<T>.Slots];

        public int[] Lengths { get; } = new int[2 * BatchArgs<T>.Slots];

        public double Execute()
        {
            Parallel.For(0, _chunks, new ParallelOptions { MaxDegreeOfParallelism = _degree }, RunChunk);
            double total = 0;
            for (int c = 0; c < _chunks; c++)
            {
                total += _partial[c];
            }

            return total;
        }

        private void RunChunk(int c)
        {
            var args = new BatchArgs<T> { Scale = _scale, Classes = _classes };
            for (int k = 0; k < BatchArgs<T>.Slots; k++)
            {
                if (Lengths[k] > 0)
                {
                    args.SetIn(k, new ReadOnlySpan<T>((void*)Addresses[k], Lengths[k]));
                }

                int o = k + BatchArgs<T>.Slots;
                if (Lengths[o] > 0)
                {
                    args.SetOut(k, new Span<T>((void*)Addresses[o], Lengths[o]));
                }
            }

            int start = c * _perChunk;
            _partial[c] = _chunk(in args, start, Math.Min(_count, start + _perChunk));
        }
    }
}
