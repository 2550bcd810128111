using System;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks;

/// <summary>
/// Binary cross-entropy with logits, forward (mean loss) + backward (dz) in one call, float32,
/// one thread. z ~ N(0, σ² = 4), y uniform in {0, 1}. Beside the hand-written kernels, the generated ones
/// (<see cref="BenchmarkLosses.BinaryCrossEntropy"/>): fused forward+backward and backward alone, on one core
/// (<see cref="AutoGradSettings.MaxDegreeOfParallelism"/> = 1) and on every core; and for the backward alone, the best
/// hand-written backward and two floors: the triad (memory) and the triad with one exponential per element (arithmetic);
/// and, to show what the generator leaves out, the triad and the backward with streaming stores (<c>*NonTemporal</c>).
/// </summary>
public class BceBaselines
{
    [Params(1 << 20, 1 << 24)]
    public int N;

    private float[] z = Array.Empty<float>();
    private float[] y = Array.Empty<float>();
    private float[] dz = Array.Empty<float>();
    private float[] scratch1 = Array.Empty<float>();
    private float[] scratch2 = Array.Empty<float>();

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(20240601);
        z = new float[N];
        y = new float[N];
        dz = new float[N];
        scratch1 = new float[N];
        scratch2 = new float[N];
        for (int i = 0; i < N; i++)
        {
            z[i] = (float)(2.0 * Gaussian(rng));
            y[i] = rng.Next(2);
        }
        SelfCheck();
    }

    internal static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Every kernel against the scalar one; throws if any disagrees.</summary>
    private void SelfCheck()
    {
        var reference = new float[N];
        float lossRef = HandWrittenKernels.BceScalarMathF(z, y, reference);
        // TensorPrimitives.Sum and Dot accumulate in float: over 2^24 elements the mean loss is off by ~2e-4.
        Check("TensorPrimitivesComposition", HandWrittenKernels.BceTensorPrimitives(z, y, dz, scratch1, scratch2), 1e-3);
        Check("HandFusedVector256BuiltinExp", HandWrittenKernels.BceFusedBuiltinExp(z, y, dz), 1e-5);
        Check("HandFusedVector256FastExp", HandWrittenKernels.BceFusedFastExp(z, y, dz), 1e-5);
        HandWrittenKernels.BceBackwardFastExp(z, y, dz);
        Check("HandBackwardFastExp", lossRef, 0);
        Check("GeneratedFused", BenchmarkLosses.BinaryCrossEntropyForwardBackward(z, y, dz), 1e-5);
        BenchmarkLosses.BinaryCrossEntropyBackward(z, y, dz);
        Check("GeneratedBackward", lossRef, 0);
        HandWrittenKernels.BceBackwardFastExpNonTemporal(z, y, dz);
        Check("HandBackwardNonTemporal", lossRef, 0);

        void Check(string name, float loss, double relativeTolerance)
        {
            if (!(Math.Abs(loss - lossRef) <= relativeTolerance * Math.Abs(lossRef)))
                throw new InvalidOperationException($"{name}: mean loss {loss:R}, scalar {lossRef:R}");
            float tolerance = 4e-6f / N; // |dz| ≤ 1/N; a few float ulps of σ
            for (int i = 0; i < N; i++)
            {
                if (!(Math.Abs(dz[i] - reference[i]) <= tolerance))
                    throw new InvalidOperationException($"{name}: dz[{i}] = {dz[i]:R}, scalar {reference[i]:R} (z = {z[i]:R}, y = {y[i]})");
            }
            Array.Clear(dz);
        }
    }

    [Benchmark]
    public float ScalarMathF() => HandWrittenKernels.BceScalarMathF(z, y, dz);

    [Benchmark]
    public float TensorPrimitivesComposition() => HandWrittenKernels.BceTensorPrimitives(z, y, dz, scratch1, scratch2);

    [Benchmark]
    public float HandFusedVector256BuiltinExp() => HandWrittenKernels.BceFusedBuiltinExp(z, y, dz);

    [Benchmark(Baseline = true)]
    public float HandFusedVector256FastExp() => HandWrittenKernels.BceFusedFastExp(z, y, dz);

    [Benchmark]
    public void TriadFloor() => HandWrittenKernels.Triad(1f / N, z, y, dz);

    /// <summary>The best hand-written backward alone (σ(z) − y, over N), one core: what <see cref="GeneratedBackward"/> is measured against.</summary>
    [Benchmark]
    public void HandBackwardFastExp() => HandWrittenKernels.BceBackwardFastExp(z, y, dz);

    /// <summary>The triad with one e^−|z| per element: the arithmetic floor of any backward that computes σ(z), one core.</summary>
    [Benchmark]
    public void ExpTriadFloor() => HandWrittenKernels.ExpTriad(1f / N, z, y, dz);

    /// <summary>The triad with streaming stores: the memory floor of a kernel that bypasses the cache for dz, one core.</summary>
    [Benchmark]
    public void TriadNonTemporal() => HandWrittenKernels.TriadNonTemporal(1f / N, z, y, dz);

    /// <summary>The best hand-written backward with streaming stores, one core.</summary>
    [Benchmark]
    public void HandBackwardNonTemporal() => HandWrittenKernels.BceBackwardFastExpNonTemporal(z, y, dz);


    /// <summary>The generated <c>BinaryCrossEntropyForwardBackward</c>, one core.</summary>
    [Benchmark]
    public float GeneratedFused()
    {
        AutoGradSettings.MaxDegreeOfParallelism = 1;
        return BenchmarkLosses.BinaryCrossEntropyForwardBackward(z, y, dz);
    }

    /// <summary>The generated <c>BinaryCrossEntropyForwardBackward</c>, fixed chunks across every core.</summary>
    [Benchmark]
    public float GeneratedFusedAllCores()
    {
        AutoGradSettings.MaxDegreeOfParallelism = Environment.ProcessorCount;
        return BenchmarkLosses.BinaryCrossEntropyForwardBackward(z, y, dz);
    }

    /// <summary>The generated <c>BinaryCrossEntropyBackward</c> (the gradient alone: Sigmoid(z) - y, over N), one core.</summary>
    [Benchmark]
    public void GeneratedBackward()
    {
        AutoGradSettings.MaxDegreeOfParallelism = 1;
        BenchmarkLosses.BinaryCrossEntropyBackward(z, y, dz);
    }

    /// <summary>The generated <c>BinaryCrossEntropyBackward</c>, across every core.</summary>
    [Benchmark]
    public void GeneratedBackwardAllCores()
    {
        AutoGradSettings.MaxDegreeOfParallelism = Environment.ProcessorCount;
        BenchmarkLosses.BinaryCrossEntropyBackward(z, y, dz);
    }
}
