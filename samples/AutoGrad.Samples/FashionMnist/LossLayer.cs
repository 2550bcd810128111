using System;

namespace AutoGrad.Samples.FashionMnist;

/// <summary>
/// The loss on top of both models: softmax cross-entropy on the logits, with its gradient from the
/// generator (<c>SeedLosses.SoftmaxCrossEntropyGradient</c>, derived as <c>Softmax(z) - y</c>),
/// called once per example. The layers below are ordinary hand-written code; AutoGrad gives them
/// ∂L/∂z, which is where the closed form lives.
/// </summary>
internal static class LossLayer
{
    private const int Classes = Dataset.Classes;

    /// <summary>The one-hot target of each class, made once.</summary>
    private static readonly Vec[] OneHot = CreateOneHot();

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

    /// <summary>
    /// For <paramref name="count"/> rows of logits and their labels: writes <paramref name="dz"/>, the gradient
    /// of the mean loss over the rows (each row's ∂L/∂z divided by the count), and returns the summed loss
    /// and the number of rows whose largest logit is the label.
    /// </summary>
    public static (double LossSum, int Correct) ForwardBackward(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels, int count, Span<float> dz)
    {
        double lossSum = 0;
        int correct = 0;
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
            if (ArgMax(row) == labels[i]) correct++;
        }
        return (lossSum, correct);
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
}
