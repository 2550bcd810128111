namespace AutoGrad.Generator.Tests.EndToEnd;

/// <summary>
/// The generated files, as text, against committed snapshots (*.verified.cs beside this file):
/// gradient, derivation and batch kernels together (the vector losses' are in VectorLossTests).
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void Scalar_losses()
    {
        var run = GeneratorHarness.Run(ScalarLosses.Source);
        run.AssertNoErrors();
        Snapshot.VerifyGenerated(run);
    }
}
