namespace AutoGrad.Generator.Tests.Batch;

/// <summary>The generated batch kernels of one scalar and one vector loss, as text (*.verified.cs beside this file).</summary>
public sealed class BatchSnapshotTests
{
    /// <summary>BCE on a logit written the textbook way, and softmax cross-entropy: the two headline losses of API.md.</summary>
    public const string Source = """
        using AutoGrad;
        using static AutoGrad.Fn;

        namespace Snapshots;

        public static partial class Losses
        {
            [Loss]
            public static double BinaryCrossEntropy(double z, [Target] double y)
                => -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));

            [Loss]
            public static double SoftmaxCrossEntropy(Vec z, [Target(SumsToOne = true)] Vec y)
                => -Sum(y * Log(Softmax(z)));
        }
        """;

    [Fact]
    public void Binary_and_softmax_cross_entropy()
    {
        var run = GeneratorHarness.Run(Source);
        run.AssertNoErrors();
        Snapshot.VerifyGenerated(run);
    }
}
