using System;
using System.Linq;

namespace AutoGrad.Tests.Batch;

/// <summary>
/// Large batches run across cores in fixed chunks: results are bitwise identical whatever the number of threads,
/// and equal to running the same batch in pieces of whole chunks (16384 elements) one after the other.
/// </summary>
[Collection(nameof(AutoGradSettingsCollection))]
public sealed class BatchParallelTests
{
    private static T WithThreads<T>(int threads, long threshold, Func<T> run)
    {
        int oldThreads = AutoGradSettings.MaxDegreeOfParallelism;
        long oldThreshold = AutoGradSettings.ParallelThreshold;
        try
        {
            AutoGradSettings.MaxDegreeOfParallelism = threads;
            AutoGradSettings.ParallelThreshold = threshold;
            return run();
        }
        finally
        {
            AutoGradSettings.MaxDegreeOfParallelism = oldThreads;
            AutoGradSettings.ParallelThreshold = oldThreshold;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void Scalar_loss_results_do_not_depend_on_the_number_of_threads(int threads)
    {
        var rng = new Random(11);
        int n = 250_001;
        var z = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 16 - 8)).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => (float)rng.Next(2)).ToArray();

        var (oneLoss, oneGrad) = WithThreads(1, 0, () => { var d = new float[n]; return (BatchLosses.BinaryCrossEntropyForwardBackward(z, y, d), d); });
        var (manyLoss, manyGrad) = WithThreads(threads, 0, () => { var d = new float[n]; return (BatchLosses.BinaryCrossEntropyForwardBackward(z, y, d), d); });
        Assert.Equal(BitConverter.SingleToInt32Bits(oneLoss), BitConverter.SingleToInt32Bits(manyLoss));
        Assert.Equal(oneGrad, manyGrad);
        Assert.Equal(oneLoss, WithThreads(threads, 0, () => BatchLosses.BinaryCrossEntropyForward(z, y)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Vector_loss_results_do_not_depend_on_the_number_of_threads(int threads)
    {
        var rng = new Random(12);
        int rows = 3001, classes = 37;
        var z = Enumerable.Range(0, rows * classes).Select(_ => rng.NextDouble() * 10 - 5).ToArray();
        var y = new double[z.Length];
        for (int r = 0; r < rows; r++) y[r * classes + rng.Next(classes)] = 1;
        var s = Enumerable.Range(0, rows).Select(_ => rng.NextDouble() + 0.5).ToArray();

        double Run(double[] dz, double[] ds) => BatchLosses.ScaledSoftmaxForwardBackward(z, s, y, classes, dz, ds);
        var (dz1, ds1, dzN, dsN) = (new double[z.Length], new double[rows], new double[z.Length], new double[rows]);
        double one = WithThreads(1, 0, () => Run(dz1, ds1));
        double many = WithThreads(threads, 0, () => Run(dzN, dsN));
        Assert.Equal(BitConverter.DoubleToInt64Bits(one), BitConverter.DoubleToInt64Bits(many));
        Assert.Equal(dz1, dzN);
        Assert.Equal(ds1, dsN);
    }

    [Fact]
    public void Chunk_sums_are_added_in_order()
    {
        // A batch of three whole chunks gives the sum of its chunks, each computed alone, added left to right.
        var rng = new Random(13);
        int chunk = 16384, n = 3 * chunk;
        var z = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 16 - 8)).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
        double expected = 0;
        for (int c = 0; c < 3; c++)
        {
            expected += BatchLosses.BinaryCrossEntropyForward(z.AsSpan(c * chunk, chunk), y.AsSpan(c * chunk, chunk), Reduction.Sum);
        }
        float whole = WithThreads(2, 0, () => BatchLosses.BinaryCrossEntropyForward(z, y, Reduction.Sum));
        // Each chunk's sum is kept in double inside the kernel; here each came back rounded to float first.
        Assert.Equal(expected, whole, Math.Abs(expected) * 1e-6);
    }

    [Fact]
    public void Settings_reject_nonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AutoGradSettings.MaxDegreeOfParallelism = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => AutoGradSettings.ParallelThreshold = -1);
        Assert.True(AutoGradSettings.MaxDegreeOfParallelism >= 1);
    }
}

/// <summary>Tests that change <see cref="AutoGradSettings"/> run one at a time.</summary>
[CollectionDefinition(nameof(AutoGradSettingsCollection), DisableParallelization = true)]
public sealed class AutoGradSettingsCollection
{
}
