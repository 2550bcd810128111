using System;

namespace AutoGrad;

/// <summary>
/// Accurate, deterministic summation kernels shared by the reference functions. Pairwise summation keeps
/// the rounding error at O(ε log n) instead of O(ε n), and the fixed evaluation order gives the same bits
/// on every machine (unlike vector-width-dependent reductions).
/// </summary>
internal static class Summation
{
    /// <summary>The length up to which a span is summed directly; longer spans are split in two.</summary>
    internal const int BlockSize = 128;

    /// <summary>Sums <paramref name="x"/> pairwise.</summary>
    public static double Sum(ReadOnlySpan<double> x)
    {
        if (x.Length <= BlockSize)
        {
            return SumBlock(x);
        }

        var half = SplitPoint(x.Length);
        return Sum(x[..half]) + Sum(x[half..]);
    }

    /// <summary>Sums <c>x[i] * scale</c> pairwise (used when the plain sum overflows).</summary>
    public static double ScaledSum(ReadOnlySpan<double> x, double scale)
    {
        if (x.Length <= BlockSize)
        {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            var i = 0;
            for (; i + 4 <= x.Length; i += 4)
            {
                s0 += x[i] * scale;
                s1 += x[i + 1] * scale;
                s2 += x[i + 2] * scale;
                s3 += x[i + 3] * scale;
            }

            for (; i < x.Length; i++)
            {
                s0 += x[i] * scale;
            }

            return (s0 + s1) + (s2 + s3);
        }

        var half = SplitPoint(x.Length);
        return ScaledSum(x[..half], scale) + ScaledSum(x[half..], scale);
    }

    /// <summary>Computes the dot product of two spans of equal length, summing the products pairwise.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length <= BlockSize)
        {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            var i = 0;
            for (; i + 4 <= x.Length; i += 4)
            {
                s0 += x[i] * y[i];
                s1 += x[i + 1] * y[i + 1];
                s2 += x[i + 2] * y[i + 2];
                s3 += x[i + 3] * y[i + 3];
            }

            for (; i < x.Length; i++)
            {
                s0 += x[i] * y[i];
            }

            return (s0 + s1) + (s2 + s3);
        }

        var half = SplitPoint(x.Length);
        return Dot(x[..half], y[..half]) + Dot(x[half..], y[half..]);
    }

    /// <summary>
    /// Returns the maximum of a non-empty span and the index of its first occurrence. A NaN anywhere makes
    /// the result NaN (with the index of the first NaN), matching <see cref="Math.Max(double, double)"/>.
    /// </summary>
    public static double MaxWithIndex(ReadOnlySpan<double> x, out int index)
    {
        index = 0;
        var max = x[0];
        if (double.IsNaN(max))
        {
            return max;
        }

        for (var i = 1; i < x.Length; i++)
        {
            var v = x[i];
            if (v > max)
            {
                max = v;
                index = i;
            }
            else if (double.IsNaN(v))
            {
                index = i;
                return v;
            }
        }

        return max;
    }

    private static double SumBlock(ReadOnlySpan<double> x)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var i = 0;
        for (; i + 4 <= x.Length; i += 4)
        {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }

        for (; i < x.Length; i++)
        {
            s0 += x[i];
        }

        return (s0 + s1) + (s2 + s3);
    }

    // Splits at a multiple of the block size near the middle so that the leaves are full blocks.
    internal static int SplitPoint(int length)
    {
        var blocks = (length + BlockSize - 1) / BlockSize;
        return (blocks / 2) * BlockSize;
    }
}
