using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks;

/// <summary>
/// Softmax cross-entropy, forward (mean loss) + backward (dz), float32, one thread. Row-major
/// logits ~ N(0, σ² = 4), one-hot targets. Beside the hand-written kernels, the generated
/// <c>SoftmaxCrossEntropyForwardBackward</c> (<see cref="BenchmarkLosses.SoftmaxCrossEntropy"/>) on one core and on
/// every core (4096×10 is 40960 elements, under the parallel threshold, so it stays on one core either way).
/// </summary>
public class SoftmaxCeBaselines
{
    public readonly record struct Shape(int Batch, int Classes)
    {
        public override string ToString() => $"{Batch}x{Classes}";
    }

    public static IEnumerable<Shape> Shapes => new[] { new Shape(4096, 10), new Shape(1024, 1000) };

    [ParamsSource(nameof(Shapes))]
    public Shape BatchxClasses;

    private float[] logits = Array.Empty<float>();
    private float[] targets = Array.Empty<float>();
    private float[] dz = Array.Empty<float>();
    private float[] scratch = Array.Empty<float>();

    private int Batch => BatchxClasses.Batch;
    private int Classes => BatchxClasses.Classes;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(20240602);
        int n = Batch * Classes;
        logits = new float[n];
        targets = new float[n];
        dz = new float[n];
        scratch = new float[Classes];
        for (int i = 0; i < n; i++)
            logits[i] = (float)(2.0 * BceBaselines.Gaussian(rng));
        for (int r = 0; r < Batch; r++)
            targets[r * Classes + rng.Next(Classes)] = 1f;
        SelfCheck();
    }

    private void SelfCheck()
    {
        var reference = new float[dz.Length];
        float lossRef = HandWrittenKernels.SoftmaxCeScalarMathF(logits, targets, reference, Batch, Classes);
        Check("TensorPrimitivesComposition", HandWrittenKernels.SoftmaxCeTensorPrimitives(logits, targets, dz, Batch, Classes, scratch));
        Check("HandFusedVector256FastExp", HandWrittenKernels.SoftmaxCeFusedFastExp(logits, targets, dz, Batch, Classes));
        Check("GeneratedFused", GeneratedFused());
        Check("GeneratedFusedAllCores", GeneratedFusedAllCores());

        void Check(string name, float loss)
        {
            if (!(Math.Abs(loss - lossRef) <= 1e-5 * Math.Abs(lossRef)))
                throw new InvalidOperationException($"{name}: mean loss {loss:R}, scalar {lossRef:R}");
            float tolerance = 4e-6f / Batch;
            for (int i = 0; i < dz.Length; i++)
            {
                if (!(Math.Abs(dz[i] - reference[i]) <= tolerance))
                    throw new InvalidOperationException($"{name}: dz[{i}] = {dz[i]:R}, scalar {reference[i]:R}");
            }
            Array.Clear(dz);
        }
    }

    [Benchmark]
    public float ScalarMathF() => HandWrittenKernels.SoftmaxCeScalarMathF(logits, targets, dz, Batch, Classes);

    [Benchmark]
    public float TensorPrimitivesComposition() =>
        HandWrittenKernels.SoftmaxCeTensorPrimitives(logits, targets, dz, Batch, Classes, scratch);

    [Benchmark(Baseline = true)]
    public float HandFusedVector256FastExp() => HandWrittenKernels.SoftmaxCeFusedFastExp(logits, targets, dz, Batch, Classes);

    /// <summary>The generated <c>SoftmaxCrossEntropyForwardBackward</c>, one core.</summary>
    [Benchmark]
    public float GeneratedFused()
    {
        AutoGradSettings.MaxDegreeOfParallelism = 1;
        return BenchmarkLosses.SoftmaxCrossEntropyForwardBackward(logits, targets, Classes, dz);
    }

    /// <summary>The generated <c>SoftmaxCrossEntropyForwardBackward</c>, fixed chunks across every core.</summary>
    [Benchmark]
    public float GeneratedFusedAllCores()
    {
        AutoGradSettings.MaxDegreeOfParallelism = Environment.ProcessorCount;
        return BenchmarkLosses.SoftmaxCrossEntropyForwardBackward(logits, targets, Classes, dz);
    }
}
