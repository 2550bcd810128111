using System;

namespace AutoGrad.Samples.FashionMnist;

/// <summary>Which generated code computes the loss and ∂L/∂z of a minibatch.</summary>
public enum LossKernel
{
    /// <summary>The generated batch kernel <c>SeedLosses.SoftmaxCrossEntropyForwardBackward</c> over float spans, once per minibatch.</summary>
    Batch,

    /// <summary>The generated one-example gradient <c>SeedLosses.SoftmaxCrossEntropyGradient(Vec z, Vec y)</c>, once per example.</summary>
    PerExample,
}

/// <summary>
/// The loss on top of both models: softmax cross-entropy on the logits, with its gradient from the
/// generator (derived as <c>Softmax(z) - y</c>). The layers below are ordinary hand-written code;
/// AutoGrad gives them ∂L/∂z, which is where the closed form lives.
/// </summary>
public sealed class LossLayer(LossKernel kernel = LossKernel.Batch)
{
    private const int Classes = Dataset.Classes;

    /// <summary>The one-hot target of each class, for the per-example path.</summary>
    private static readonly Vec[] OneHot = CreateOneHot();

    private float[] _targets = Array.Empty<float>();

    public LossKernel Kernel => kernel;

    /// <summary>
    /// For <paramref name="count"/> rows of logits and their labels: writes <paramref name="dz"/>, the gradient
    /// of the mean loss over the rows, and returns the summed loss and the number of rows whose largest logit
    /// is the label.
    /// </summary>
    public (double LossSum, int Correct) ForwardBackward(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels, int count, Span<float> dz)
    {
        int correct = 0;
        for (int i = 0; i < count; i++)
        {
            if (ArgMax(logits.Slice(i * Classes, Classes)) == labels[i]) correct++;
        }
        double lossSum = kernel == LossKernel.Batch
            ? BatchForwardBackward(logits, labels, count, dz)
            : PerExampleForwardBackward(logits, labels, count, dz);
        return (lossSum, correct);
    }

    /// <summary>One call of the generated SIMD kernel: the mean loss, and dz with the 1/count of the mean.</summary>
    private double BatchForwardBackward(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels, int count, Span<float> dz)
    {
        int n = count * Classes;
        if (_targets.Length < n) _targets = new float[n];
        var targets = _targets.AsSpan(0, n);
        targets.Clear();
        for (int i = 0; i < count; i++) targets[i * Classes + labels[i]] = 1f;
        float mean = SeedLosses.SoftmaxCrossEntropyForwardBackward(logits.Slice(0, n), targets, Classes, dz.Slice(0, n), Reduction.Mean);
        return (double)mean * count;
    }

    /// <summary>The user's loss and the generated one-example gradient, example by example.</summary>
    private static double PerExampleForwardBackward(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels, int count, Span<float> dz)
    {
        double lossSum = 0;
        float scale = 1f / count;
        var z = new double[Classes];
        for (int i = 0; i < count; i++)
        {
            var row = logits.Slice(i * Classes, Classes);
            for (int k = 0; k < Classes; k++) z[k] = row[k];
            Vec zv = z;
            var y = OneHot[labels[i]];
            lossSum += SeedLosses.SoftmaxCrossEntropy(zv, y);
            var gradient = SeedLosses.SoftmaxCrossEntropyGradient(zv, y).AsSpan();
            var dzRow = dz.Slice(i * Classes, Classes);
            for (int k = 0; k < Classes; k++) dzRow[k] = (float)gradient[k] * scale;
        }
        return lossSum;
    }

    /// <summary>The index of the largest entry (the first on a tie).</summary>
    public static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int k = 1; k < row.Length; k++)
        {
            if (row[k] > row[best]) best = k;
        }
        return best;
    }

    private static Vec[] CreateOneHot()
    {
        var targets = new Vec[Classes];
        for (int c = 0; c < Classes; c++)
        {
            var y = new double[Classes];
            y[c] = 1;
            targets[c] = y;
        }
        return targets;
    }
}
