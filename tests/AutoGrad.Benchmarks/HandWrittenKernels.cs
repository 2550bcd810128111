using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AutoGrad.Internal;
using AutoGrad.Simd;

namespace AutoGrad.Benchmarks;

/// <summary>
/// Hand-written baselines for the generated batch kernels: binary cross-entropy with logits and
/// softmax cross-entropy, forward (mean loss) and backward (gradient w.r.t. the logits) together.
/// </summary>
/// <remarks>
/// BCE with logits, per example: loss = Softplus(z) − z·y = max(z, 0) + log(1 + e^−|z|) − z·y,
/// dL/dz = (σ(z) − y)/N under the mean. Softmax CE, per row of C logits with targets y (Σy = 1):
/// loss = LogSumExp(z) − Σ y·z, dL/dz = (Softmax(z) − y)/batch under the mean.
/// All kernels return the mean loss and write the gradient. Loss sums are accumulated in double
/// (vector kernels: in float lanes over blocks of 2048 elements, then in double).
/// </remarks>
public static class HandWrittenKernels
{
    private const int SumBlock = 2048;

    private static void CheckLengths(int n, int y, int dz)
    {
        if (y != n)
            throw new ArgumentException("y must have the same length as z.", nameof(y));
        if (dz != n)
            throw new ArgumentException("dz must have the same length as z.", nameof(dz));
    }

    // ================================================================== BCE with logits

    /// <summary>Scalar MathF loop, one fused pass.</summary>
    public static float BceScalarMathF(ReadOnlySpan<float> z, ReadOnlySpan<float> y, Span<float> dz)
    {
        CheckLengths(z.Length, y.Length, dz.Length);
        int n = z.Length;
        float invN = 1f / n;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            float zi = z[i], yi = y[i];
            float e = MathF.Exp(-MathF.Abs(zi));
            float onePlusE = 1f + e;
            total += MathF.Max(zi, 0f) + MathF.Log(onePlusE) - zi * yi;
            float sigmoid = (zi >= 0f ? 1f : e) / onePlusE;
            dz[i] = (sigmoid - yi) * invN;
        }
        return (float)(total / n);
    }

    /// <summary>
    /// The same as a composition of <see cref="TensorPrimitives"/> calls (one pass over memory per
    /// call). <paramref name="scratch1"/> and <paramref name="scratch2"/> are caller-provided temporaries of length N.
    /// </summary>
    public static float BceTensorPrimitives(ReadOnlySpan<float> z, ReadOnlySpan<float> y, Span<float> dz,
        Span<float> scratch1, Span<float> scratch2)
    {
        CheckLengths(z.Length, y.Length, dz.Length);
        int n = z.Length;
        Span<float> e = scratch1[..n];
        Span<float> t = scratch2[..n];
        // softplus(z) = max(z, 0) + log1p(e^−|z|)
        TensorPrimitives.Abs(z, e);
        TensorPrimitives.Negate(e, e);
        TensorPrimitives.Exp(e, e);
        TensorPrimitives.LogP1(e, e);
        TensorPrimitives.Max(z, 0f, t);
        TensorPrimitives.Add(e, t, e);
        float loss = (TensorPrimitives.Sum<float>(e) - TensorPrimitives.Dot(z, y)) / n;
        // dz = (σ(z) − y)/N
        TensorPrimitives.Sigmoid(z, dz);
        TensorPrimitives.Subtract(dz, y, dz);
        TensorPrimitives.Multiply(dz, 1f / n, dz);
        return loss;
    }

    /// <summary>
    /// Fused <see cref="Vector256{T}"/> loop, one vector per iteration, using .NET's built-in
    /// <see cref="Vector256.Exp(Vector256{float})"/> and <see cref="Vector256.Log(Vector256{float})"/>
    /// (log1p through the same u = 1 + e correction as the fast kernel); scalar tail with MathF.
    /// </summary>
    public static float BceFusedBuiltinExp(ReadOnlySpan<float> z, ReadOnlySpan<float> y, Span<float> dz)
    {
        CheckLengths(z.Length, y.Length, dz.Length);
        int n = z.Length;
        float invN = 1f / n;
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float dr = ref MemoryMarshal.GetReference(dz);
        double total = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> one = Vector256<float>.One;
            Vector256<float> vInvN = Vector256.Create(invN);
            int vecEnd = n & ~7;
            while (i < vecEnd)
            {
                int blockEnd = Math.Min(vecEnd, i + SumBlock);
                Vector256<float> acc = Vector256<float>.Zero;
                for (; i < blockEnd; i += 8)
                {
                    Vector256<float> zv = Vector256.LoadUnsafe(ref zr, (nuint)i);
                    Vector256<float> yv = Vector256.LoadUnsafe(ref yr, (nuint)i);
                    Vector256<float> e = Vector256.Exp(-Vector256.Abs(zv));
                    Vector256<float> u = one + e;
                    Vector256<float> log1p = Vector256.Log(u) - ((u - one) - e) / u;
                    acc += Vector256.MaxNative(zv, Vector256<float>.Zero) + log1p - zv * yv;
                    Vector256<float> sigmoid = Vector256.ConditionalSelect(
                        Vector256.GreaterThanOrEqual(zv, Vector256<float>.Zero), one, e) / u;
                    ((sigmoid - yv) * vInvN).StoreUnsafe(ref dr, (nuint)i);
                }
                total += Vector256.Sum(acc);
            }
        }
        for (; i < n; i++)
        {
            float zi = z[i], yi = y[i];
            float e = MathF.Exp(-MathF.Abs(zi));
            float u = 1f + e;
            total += MathF.Max(zi, 0f) + (MathF.Log(u) - ((u - 1f) - e) / u) - zi * yi;
            dz[i] = ((zi >= 0f ? 1f : e) / u - yi) * invN;
        }
        return (float)(total / n);
    }

    /// <summary>
    /// The best hand-written fused kernel: like <see cref="BceFusedBuiltinExp"/> but with
    /// <see cref="VectorMath"/>'s Cephes-style exp/log, through
    /// <see cref="VectorMath.SoftplusWithSigmoid(Vector256{float}, out Vector256{float})"/> so that one
    /// e^−|z| serves both the loss (Softplus) and the gradient (σ), and with z and y prefetched 512 bytes ahead
    /// (<see cref="KernelMath.PrefetchAhead{T}"/>, as the generated loops). The scalar tail uses the scalar
    /// overload, bit-identical to the lanes.
    /// </summary>
    public static float BceFusedFastExp(ReadOnlySpan<float> z, ReadOnlySpan<float> y, Span<float> dz)
    {
        CheckLengths(z.Length, y.Length, dz.Length);
        int n = z.Length;
        float invN = 1f / n;
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float dr = ref MemoryMarshal.GetReference(dz);
        double total = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> vInvN = Vector256.Create(invN);
            int vecEnd = n & ~7;
            while (i < vecEnd)
            {
                int blockEnd = Math.Min(vecEnd, i + SumBlock);
                Vector256<float> acc = Vector256<float>.Zero;
                for (; i < blockEnd; i += 8)
                {
                    KernelMath.PrefetchAhead(ref zr, i);
                    KernelMath.PrefetchAhead(ref yr, i);
                    Vector256<float> zv = Vector256.LoadUnsafe(ref zr, (nuint)i);
                    Vector256<float> yv = Vector256.LoadUnsafe(ref yr, (nuint)i);
                    Vector256<float> softplus = VectorMath.SoftplusWithSigmoid(zv, out Vector256<float> sigmoid);
                    acc += softplus - zv * yv;
                    ((sigmoid - yv) * vInvN).StoreUnsafe(ref dr, (nuint)i);
                }
                total += Vector256.Sum(acc);
            }
        }
        for (; i < n; i++)
        {
            float zi = z[i], yi = y[i];
            float softplus = VectorMath.SoftplusWithSigmoid(zi, out float sigmoid);
            total += softplus - zi * yi;
            dz[i] = (sigmoid - yi) * invN;
        }
        return (float)(total / n);
    }

    /// <summary>
    /// The best hand-written backward alone: dz = (σ(z) − y)/N with <see cref="VectorMath.Sigmoid(Vector256{float})"/>
    /// (one e^−|z| and one division per vector), one <see cref="Vector256{T}"/> per iteration, z and y prefetched as in
    /// <see cref="BceFusedFastExp"/>; scalar tail with the scalar overload, bit-identical to the lanes.
    /// </summary>
    public static void BceBackwardFastExp(ReadOnlySpan<float> z, ReadOnlySpan<float> y, Span<float> dz)
    {
        CheckLengths(z.Length, y.Length, dz.Length);
        int n = z.Length;
        float invN = 1f / n;
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float dr = ref MemoryMarshal.GetReference(dz);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> vInvN = Vector256.Create(invN);
            for (int vecEnd = n & ~7; i < vecEnd; i += 8)
            {
                KernelMath.PrefetchAhead(ref zr, i);
                KernelMath.PrefetchAhead(ref yr, i);
                Vector256<float> sigmoid = VectorMath.Sigmoid(Vector256.LoadUnsafe(ref zr, (nuint)i));
                ((sigmoid - Vector256.LoadUnsafe(ref yr, (nuint)i)) * vInvN).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        for (; i < n; i++)
            dz[i] = (VectorMath.Sigmoid(z[i]) - y[i]) * invN;
    }

    /// <summary>
    /// The arithmetic floor of the backward on one core: the triad's traffic (read two arrays, write one) with one
    /// exponential per element and nothing else, dz[i] = a·e^−|z[i]| + y[i], prefetched as the kernels are. Not a
    /// gradient; a bound. σ(z) − y needs this exponential and a division besides.
    /// </summary>
    public static void ExpTriad(float a, ReadOnlySpan<float> z, ReadOnlySpan<float> y, Span<float> dz)
    {
        CheckLengths(z.Length, y.Length, dz.Length);
        int n = z.Length;
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float dr = ref MemoryMarshal.GetReference(dz);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> va = Vector256.Create(a);
            for (int vecEnd = n & ~7; i < vecEnd; i += 8)
            {
                KernelMath.PrefetchAhead(ref zr, i);
                KernelMath.PrefetchAhead(ref yr, i);
                Vector256<float> e = VectorMath.Exp(-Vector256.Abs(Vector256.LoadUnsafe(ref zr, (nuint)i)));
                Vector256.FusedMultiplyAdd(va, e, Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        for (; i < n; i++)
            dz[i] = MathF.FusedMultiplyAdd(a, VectorMath.Exp(-MathF.Abs(z[i])), y[i]);
    }

    /// <summary>
    /// Memory floor with the BCE kernels' traffic (read two arrays, write one):
    /// dz[i] = a·z[i] + y[i]. Not prefetched: prefetching did not make it faster (7.86 against 7.81 ms at 2^24).
    /// </summary>
    public static void Triad(float a, ReadOnlySpan<float> z, ReadOnlySpan<float> y, Span<float> dz)
    {
        CheckLengths(z.Length, y.Length, dz.Length);
        int n = z.Length;
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float dr = ref MemoryMarshal.GetReference(dz);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> va = Vector256.Create(a);
            for (int vecEnd = n & ~7; i < vecEnd; i += 8)
            {
                Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref zr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i))
                    .StoreUnsafe(ref dr, (nuint)i);
            }
        }
        for (; i < n; i++)
            dz[i] = MathF.FusedMultiplyAdd(a, z[i], y[i]);
    }

    /// <summary>How many floats from <paramref name="p"/> to the next 32-byte boundary (0 to 7): streaming stores need it.</summary>
    private static unsafe int ElementsToAlignment(float* p) => (int)(((32 - ((nuint)p & 31)) & 31) / sizeof(float));

    /// <summary>
    /// <see cref="Triad"/> with non-temporal (streaming) stores from the first 32-byte boundary of dz: no read for
    /// ownership of dz and no cache pollution, so a quarter less traffic once the arrays exceed the last-level cache,
    /// and slower while they fit. The generator does not emit streaming stores (README › Performance says why); this is
    /// the floor they would set.
    /// </summary>
    public static unsafe void TriadNonTemporal(float a, ReadOnlySpan<float> z, ReadOnlySpan<float> y, Span<float> dz)
    {
        CheckLengths(z.Length, y.Length, dz.Length);
        int n = z.Length;
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float yr = ref MemoryMarshal.GetReference(y);
        fixed (float* d = dz)
        {
            int i = 0;
            int head = ElementsToAlignment(d);
            for (; i < head && i < n; i++)
                d[i] = MathF.FusedMultiplyAdd(a, z[i], y[i]);
            Vector256<float> va = Vector256.Create(a);
            for (int vecEnd = i + ((n - i) & ~7); i < vecEnd; i += 8)
                Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref zr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i))
                    .StoreAlignedNonTemporal(d + i);
            for (; i < n; i++)
                d[i] = MathF.FusedMultiplyAdd(a, z[i], y[i]);
            System.Runtime.Intrinsics.X86.Sse.StoreFence();
        }
    }

    /// <summary><see cref="BceBackwardFastExp"/> with streaming stores, as <see cref="TriadNonTemporal"/>.</summary>
    public static unsafe void BceBackwardFastExpNonTemporal(ReadOnlySpan<float> z, ReadOnlySpan<float> y, Span<float> dz)
    {
        CheckLengths(z.Length, y.Length, dz.Length);
        int n = z.Length;
        float invN = 1f / n;
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float yr = ref MemoryMarshal.GetReference(y);
        fixed (float* d = dz)
        {
            int i = 0;
            int head = ElementsToAlignment(d);
            for (; i < head && i < n; i++)
                d[i] = (VectorMath.Sigmoid(z[i]) - y[i]) * invN;
            Vector256<float> vInvN = Vector256.Create(invN);
            for (int vecEnd = i + ((n - i) & ~7); i < vecEnd; i += 8)
            {
                KernelMath.PrefetchAhead(ref zr, i);
                KernelMath.PrefetchAhead(ref yr, i);
                Vector256<float> sigmoid = VectorMath.Sigmoid(Vector256.LoadUnsafe(ref zr, (nuint)i));
                ((sigmoid - Vector256.LoadUnsafe(ref yr, (nuint)i)) * vInvN).StoreAlignedNonTemporal(d + i);
            }
            for (; i < n; i++)
                d[i] = (VectorMath.Sigmoid(z[i]) - y[i]) * invN;
            System.Runtime.Intrinsics.X86.Sse.StoreFence();
        }
    }

    // ================================================================== softmax cross-entropy

    private static void CheckShape(int logits, int targets, int dz, int batch, int classes)
    {
        if (batch <= 0 || classes <= 0)
            throw new ArgumentException("batch and classes must be positive.");
        if (logits != batch * classes)
            throw new ArgumentException("logits must have batch × classes elements.", nameof(logits));
        if (targets != logits)
            throw new ArgumentException("targets must have batch × classes elements.", nameof(targets));
        if (dz != logits)
            throw new ArgumentException("dz must have batch × classes elements.", nameof(dz));
    }

    /// <summary>Scalar MathF, per row: max pass, exp + sum pass, normalize/gradient pass.</summary>
    public static float SoftmaxCeScalarMathF(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> dz,
        int batch, int classes)
    {
        CheckShape(logits.Length, targets.Length, dz.Length, batch, classes);
        float invB = 1f / batch;
        double total = 0;
        for (int r = 0; r < batch; r++)
        {
            ReadOnlySpan<float> z = logits.Slice(r * classes, classes);
            ReadOnlySpan<float> y = targets.Slice(r * classes, classes);
            Span<float> d = dz.Slice(r * classes, classes);
            float max = z[0];
            for (int j = 1; j < z.Length; j++)
                max = MathF.Max(max, z[j]);
            float sum = 0f, zy = 0f;
            for (int j = 0; j < z.Length; j++)
            {
                float e = MathF.Exp(z[j] - max);
                d[j] = e;
                sum += e;
                zy += y[j] * z[j];
            }
            float scale = invB / sum;
            for (int j = 0; j < d.Length; j++)
                d[j] = d[j] * scale - y[j] * invB;
            total += max + MathF.Log(sum) - zy;
        }
        return (float)(total / batch);
    }

    /// <summary>
    /// The same as a composition of <see cref="TensorPrimitives"/> calls per row. SoftMax does not
    /// subtract the row max (its exp overflows to NaN for logits above ~88), so the max is subtracted
    /// first. The loss −Σ y·log p is taken from the probabilities (valid while no probability
    /// underflows to 0, true for these inputs). <paramref name="scratch"/> has at least classes elements.
    /// </summary>
    public static float SoftmaxCeTensorPrimitives(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> dz,
        int batch, int classes, Span<float> scratch)
    {
        CheckShape(logits.Length, targets.Length, dz.Length, batch, classes);
        float invB = 1f / batch;
        Span<float> t = scratch[..classes];
        double total = 0;
        for (int r = 0; r < batch; r++)
        {
            ReadOnlySpan<float> z = logits.Slice(r * classes, classes);
            ReadOnlySpan<float> y = targets.Slice(r * classes, classes);
            Span<float> d = dz.Slice(r * classes, classes);
            TensorPrimitives.Subtract(z, TensorPrimitives.Max(z), t);
            TensorPrimitives.SoftMax(t, d);
            TensorPrimitives.Log(d, t);
            total -= TensorPrimitives.Dot(y, t);
            TensorPrimitives.Subtract(d, y, d);
            TensorPrimitives.Multiply(d, invB, d);
        }
        return (float)(total / batch);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMax(Vector256<float> v)
    {
        Vector128<float> m = Vector128.MaxNative(v.GetLower(), v.GetUpper());
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
        return m.ToScalar();
    }

    /// <summary>
    /// Fused <see cref="Vector256{T}"/> kernel with <see cref="VectorMath.Exp(Vector256{float})"/>, per row:
    /// max pass; exp + sum pass (e^(z − max) stored in dz, Σ y·z alongside); gradient pass
    /// dz = e·(1/(sum·batch)) − y/batch. A row whose length is not a multiple of 8 (but is ≥ 8) ends
    /// with one overlapping vector over its last 8 elements: harmless for the max, masked for the sums,
    /// and in the gradient pass recomputed from z (same bits as the stored e) so the lanes it shares
    /// with the previous vector get the same value twice. Rows shorter than 8 run scalar.
    /// </summary>
    public static float SoftmaxCeFusedFastExp(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> dz,
        int batch, int classes)
    {
        CheckShape(logits.Length, targets.Length, dz.Length, batch, classes);
        if (!Vector256.IsHardwareAccelerated || classes < 8)
            return SoftmaxCeScalarFastExp(logits, targets, dz, batch, classes);

        float invB = 1f / batch;
        int vecEnd = classes & ~7;
        int rem = classes - vecEnd;
        nuint last = (nuint)(classes - 8);
        // lanes of the last (overlapping) vector that the full vectors did not cover
        Vector256<float> tailMask = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(8 - rem)).AsSingle();
        Vector256<float> negInvB = Vector256.Create(-invB);
        double total = 0;
        for (int r = 0; r < batch; r++)
        {
            nuint offset = (nuint)r * (nuint)classes;
            ref float z = ref Unsafe.Add(ref MemoryMarshal.GetReference(logits), offset);
            ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(targets), offset);
            ref float d = ref Unsafe.Add(ref MemoryMarshal.GetReference(dz), offset);

            // pass 1: row max
            Vector256<float> mv = Vector256.LoadUnsafe(ref z);
            for (nuint j = 8; j < (nuint)vecEnd; j += 8)
                mv = Vector256.MaxNative(mv, Vector256.LoadUnsafe(ref z, j));
            if (rem != 0)
                mv = Vector256.MaxNative(mv, Vector256.LoadUnsafe(ref z, last));
            float max = HorizontalMax(mv);
            Vector256<float> maxV = Vector256.Create(max);

            // pass 2: e = exp(z − max) into dz, Σe, Σ y·z
            Vector256<float> sumV = Vector256<float>.Zero, zyV = Vector256<float>.Zero;
            for (nuint j = 0; j < (nuint)vecEnd; j += 8)
            {
                Vector256<float> zv = Vector256.LoadUnsafe(ref z, j);
                Vector256<float> e = VectorMath.Exp(zv - maxV);
                e.StoreUnsafe(ref d, j);
                sumV += e;
                zyV = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref y, j), zv, zyV);
            }
            if (rem != 0)
            {
                Vector256<float> zv = Vector256.LoadUnsafe(ref z, last);
                Vector256<float> e = VectorMath.Exp(zv - maxV);
                e.StoreUnsafe(ref d, last);
                sumV += e & tailMask;
                zyV += (Vector256.LoadUnsafe(ref y, last) * zv) & tailMask;
            }
            float sum = Vector256.Sum(sumV);
            float zy = Vector256.Sum(zyV);

            // pass 3: dz = e/(sum·batch) − y/batch
            Vector256<float> scaleV = Vector256.Create(invB / sum);
            for (nuint j = 0; j < (nuint)vecEnd; j += 8)
            {
                Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref d, j), scaleV,
                    Vector256.LoadUnsafe(ref y, j) * negInvB).StoreUnsafe(ref d, j);
            }
            if (rem != 0)
            {
                // after the loop, and from z rather than the stored e (whose lanes below vecEnd now
                // hold gradients): those lanes are rewritten with the values they already have
                Vector256<float> e = VectorMath.Exp(Vector256.LoadUnsafe(ref z, last) - maxV);
                Vector256.FusedMultiplyAdd(e, scaleV, Vector256.LoadUnsafe(ref y, last) * negInvB).StoreUnsafe(ref d, last);
            }

            total += max + VectorMath.Log(sum) - zy;
        }
        return (float)(total / batch);
    }

    /// <summary>Scalar form of <see cref="SoftmaxCeFusedFastExp"/> (rows shorter than one vector).</summary>
    private static float SoftmaxCeScalarFastExp(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> dz,
        int batch, int classes)
    {
        float invB = 1f / batch;
        double total = 0;
        for (int r = 0; r < batch; r++)
        {
            ReadOnlySpan<float> z = logits.Slice(r * classes, classes);
            ReadOnlySpan<float> y = targets.Slice(r * classes, classes);
            Span<float> d = dz.Slice(r * classes, classes);
            float max = z[0];
            for (int j = 1; j < z.Length; j++)
                max = MathF.Max(max, z[j]);
            float sum = 0f, zy = 0f;
            for (int j = 0; j < z.Length; j++)
            {
                float e = VectorMath.Exp(z[j] - max);
                d[j] = e;
                sum += e;
                zy = MathF.FusedMultiplyAdd(y[j], z[j], zy);
            }
            float scale = invB / sum;
            for (int j = 0; j < d.Length; j++)
                d[j] = MathF.FusedMultiplyAdd(d[j], scale, y[j] * -invB);
            total += max + VectorMath.Log(sum) - zy;
        }
        return (float)(total / batch);
    }
}
