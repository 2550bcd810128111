using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Internal;

// Software prefetch for the streaming loops of generated kernels.
public static partial class KernelMath
{
    /// <summary>
    /// How far ahead <see cref="PrefetchAhead{T}"/> asks for data: 512 bytes, eight cache lines (16 iterations of one
    /// Vector256). Measured on the benchmark machine (AMD EPYC, one core, BCE backward over 2^24 floats, two runs in
    /// which the kernel without prefetch took 12.0 and 12.9 ms): 256 bytes 11.5 ms, 384 11.2, 512 10.5–10.8, 768 11.3,
    /// 1024 11.6, 2048 11.3, 8192 16.2 (README › Performance › Findings).
    /// </summary>
    public const int PrefetchBytes = 512;

    /// <summary>
    /// Asks the CPU to bring the cache line <see cref="PrefetchBytes"/> after <paramref name="source"/>[<paramref name="index"/>]
    /// into every cache level (x86 <c>prefetcht0</c>; nothing on other architectures). A hint only: it cannot fault, and
    /// an address past the end of the span, or one the garbage collector has since moved the span from, only costs the
    /// load slot (the reference is not pinned, and need not be).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void PrefetchAhead<T>(ref T source, int index)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0((byte*)Unsafe.AsPointer(ref Unsafe.Add(ref source, index)) + PrefetchBytes);
        }
    }
}
