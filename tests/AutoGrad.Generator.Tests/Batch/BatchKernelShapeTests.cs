using System.Linq;
using System.Text.RegularExpressions;
using AutoGrad.Generator.Tests.EndToEnd;

namespace AutoGrad.Generator.Tests.Batch;

/// <summary>What the generated kernels compute per element: the work the stable forms promise, counted in the generated text.</summary>
public sealed class BatchKernelShapeTests
{
    private static readonly System.Lazy<GeneratorRun> Run = new(() => GeneratorHarness.Run(ScalarLosses.Source));

    /// <summary>The body of the Vector256 loop of a scalar loss's kernel.</summary>
    private static string Vector256Loop(string generated)
    {
        int start = generated.IndexOf("// Vector256: 8 floats or 4 doubles per iteration.", System.StringComparison.Ordinal);
        int end = generated.IndexOf("// Vector128:", start, System.StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "no Vector256 loop in the generated kernel");
        return generated.Substring(start, end - start);
    }

    private static int Count(string text, string call) => Regex.Matches(text, Regex.Escape("KernelMath." + call + "(")).Count;

    [Theory]
    [InlineData("BinaryCrossEntropy")]
    [InlineData("LogisticBySoftplusHand")]
    [InlineData("NeuronCrossEntropy")]
    public void Binary_cross_entropy_computes_one_exponential_one_log1p_and_no_second_softplus(string loss)
    {
        var loop = Vector256Loop(Run.Value.GeneratedText(loss + ".g.cs"));
        // e^-|z| once, shared by the loss's Log1P(Exp(-Abs(z))) and the gradient's Sigmoid(z).
        Assert.Equal(1, Count(loop, "ExpNegAbs"));
        Assert.Equal(1, Count(loop, "Log1PUnit"));
        Assert.Equal(1, Count(loop, "SigmoidFromExp"));
        Assert.Equal(1, Count(loop, "MaxZero"));
        Assert.Equal(0, Count(loop, "Exp") + Count(loop, "Log") + Count(loop, "Log1P"));
        // Max(z, 0) - z * y is one fused multiply-add, before the logarithm is added.
        Assert.Equal(1, Count(loop, "NegatedMultiplyAdd"));
        var lines = loop.Split('\n');
        int fma = System.Array.FindIndex(lines, l => l.Contains("NegatedMultiplyAdd("));
        int log = System.Array.FindIndex(lines, l => l.Contains("Log1PUnit("));
        string fmaLocal = Regex.Match(lines[fma], @"var (__t\d+) =").Groups[1].Value;
        string logLocal = Regex.Match(lines[log], @"var (__t\d+) =").Groups[1].Value;
        Assert.Contains(lines, l => l.Contains(" = " + fmaLocal + " + " + logLocal + ";"));
    }

    /// <summary>
    /// Tanh's derivative is computed as 4·Sigmoid(2w)·Sigmoid(−2w) (stabilizer rule one-minus-tanh-squared): both sigmoids
    /// from one e^−|2w|, so the gradient costs one exponential beside the loss's Tanh.
    /// </summary>
    [Fact]
    public void Tanh_derivative_takes_one_exponential_for_both_sigmoids()
    {
        var run = GeneratorHarness.Run("using AutoGrad;\nusing static AutoGrad.Fn;\npublic static partial class L { [Loss] public static double M([Target] double y, double w) => Square(Tanh(w) - y); }");
        run.AssertNoErrors();
        var loop = Vector256Loop(run.GeneratedText("M.g.cs"));
        Assert.Equal(1, Count(loop, "ExpNegAbs"));
        Assert.Equal(2, Count(loop, "SigmoidFromExp"));
        Assert.Equal(1, Count(loop, "Tanh"));
    }
}
