using System;
using System.Globalization;
using AutoGrad.Generator.Tests.Batch;
using System.Linq;

namespace AutoGrad.Generator.Tests.Fuzz;

/// <summary>
/// Every failure the fuzzers found, reduced to a minimal loss (by <see cref="Shrinker"/>) and kept:
/// the generated code must compile, its gradient match finite differences of the method, and its
/// batch kernels the method and the gradient (<see cref="BatchOracle"/>).
/// </summary>
public sealed class FuzzRegressionTests
{
    [Theory]
    // A parameter named n collided with the generated local holding the class count (CS0136).
    [InlineData("Vec z, double n", "Sum(z) * n")]
    [InlineData("double n, Vec z, [Target] Vec t", "Dot(t, LogSoftmax(z)) * n")]
    // A ?: with a scalar condition and vector branches was emitted as the elementwise Select helper (CS1503).
    [InlineData("Vec v, [Constant] double u", "Math.Min(Mean(Exp(v)), u)")]
    [InlineData("Vec v, double u", "Sum(u > 0.5 ? v : Exp(v))")]
    // Max(v) sent the whole adjoint to every entry tied for the maximum; Max(v, u) ties every entry below u to u,
    // so ∂L/∂u came out as the number of such entries instead of 1.
    [InlineData("double u, Vec h", "Max(Max(h, u))")]
    [InlineData("double a, Vec h", "Max(Min(h, Math.Abs(a)))")]
    // Stack overflow in the simplifier (it killed the process: found by a 10,000-loss run, seed 2). Factor divided out
    // Exp(-Log(b)); the builder turned the inverse Exp(Log(b)) into b, so the same sum came back forever.
    [InlineData("double b", "Sigmoid(Log(Math.Cosh(Log(b))))")]
    [InlineData("double b, double w", "var t0 = Math.Sinh(Log(Exp(b))); var t1 = Math.Log(Math.Cosh(Log(Math.Cosh(Tanh(Math.Log(Softplus(t0), 0.5))))), 10.0); return Square((Sigmoid(t1) - 0.25));")]
    // Not a generator bug, kept so the oracle stays fair: near-one-hot softmax of squares is ill-conditioned, and the
    // finite differences' own spread must be part of the tolerance (10,000-loss run, seed 2).
    [InlineData("Vec z, [Constant] double c, double b, [Target] double y", "LogSumExp(Softmax(Square((Log(Exp((Sqrt(Exp(z)) - Min(y, z)))) * (1e1 - (Sqrt(Exp(z)) - Min(y, z)))))))")]
    // Not generator bugs either, kept so the oracle stays fair (20,000-loss runs, seeds 2 and 3): float kernels more than
    // 1e-5 of the size off where the loss as written is ill-conditioned, within FRounding's bound. ∂/∂n of
    // Softmax(h - b / n) is 0 but summed from terms of size |b / n²|; Log1P(-Sigmoid(w)) cancels (see below).
    [InlineData("Vec h, double b, double n", "(Math.FusedMultiplyAdd(b, (-Dot(Softmax((h - (b / n))), LogSoftmax(h))), 1.0) * (-Dot(Softmax((h - (b / n))), LogSoftmax(h))))")]
    [InlineData("double w, Vec h, double u", "Math.Sinh(Log1P((-Sigmoid(Dot(h, h)))))")]
    [InlineData("double b, double u, [Constant] double c, double a", "Pow(0.1, Log1P((-Sigmoid(Math.Exp(b)))))")]
    // ∂/∂w of Max(v) with v = Log(Max(Exp(z - w), c)) came out 0 (6,000-loss run, seed 4; see the test below).
    [InlineData("[Constant] double c, double w, Vec z", "Max(Log(Max(Exp((z - w)), c)))")]
    // The float MBackward was 0 where 1 - Tanh(u)² had cancelled (Tanh(9.3) is 1 in float) and Pow(e^10, ·) made the
    // lost 3.5e-8 count (6,000-loss run, seed 5; the stabilizer's one-minus-tanh-squared rule, and the test below).
    [InlineData("[Target] double y, double b", "Pow(Exp(1E+1), Tanh(ExpM1((b * b))))")]
    public void Reduced_failure_stays_fixed(string parameters, string body)
    {
        var loss = FParse.Loss("R", parameters, body);
        int compilations = 0, partials = 0;
        var outcome = GradientOracle.CheckBatch(new[] { loss }, "Regression", 7, ref compilations, ref partials, sameSeedForAll: true).Single();
        Assert.True(outcome.Failure is null, outcome.Failure);
        Assert.True(outcome.CheckedPoints > 0, "no point of the domain was checked");
    }

    /// <summary>
    /// The worst float comparisons of the batch fuzzer's sweeps (up to 0.97 of the bound) were all Log1P(-Sigmoid(w)):
    /// the generator computed it as written, which cancels (1 - σ(w) from a σ(w) rounded near 1): MForward was -∞ at
    /// z = 40 in double and at z = 17 in float (the loss is -40 and -17). The stabilizer's logarithm rules now read
    /// Log1P(v) as Log(1 + v), so it is the -Softplus(z) of Log(1 - Sigmoid(z)).
    /// </summary>
    [Fact]
    public void Log1P_of_minus_sigmoid_is_computed_stably()
    {
        var driver = BatchDriver.Create("using AutoGrad;\nusing static AutoGrad.Fn;\npublic static partial class L { [Loss] public static double M(double z) => Log1P(-Sigmoid(z)); }");
        var loss = driver["M"];
        foreach (double z in new[] { 5.0, 10, 17, 40, 1000 })
        {
            double exact = -Fn.Softplus(z);
            double inDouble = (double)driver.Forward(loss, false, new object[] { new[] { z } }, 1, 1);
            double inFloat = (float)driver.Forward(loss, true, new object[] { new[] { (float)z } }, 1, 1);
            Assert.True(Math.Abs(inDouble - exact) <= 1e-12 * Math.Abs(exact), $"double, z = {z}: {inDouble:R}, not {exact:R}");
            Assert.True(Math.Abs(inFloat - exact) <= 1e-6 * Math.Abs(exact), $"float, z = {z}: {inFloat:R}, not {exact:R}");
        }
    }

    /// <summary>
    /// Max's tie mask compares each entry with the Max over the entries: Log(Max(Exp(z - w), c)) == Max(...). Under the
    /// condition c &lt;= Exp(z - w) of the Max(·, c) derivative, the simplifier replaced the entry's Max(Exp(z - w), c) by
    /// Exp(z - w), and then Log(Exp(z - w)) by z - w, on one side of the == only: where Log(Exp(x)) rounds away from x
    /// (as at this point, from the fuzzer) no entry was the Max, and every partial derivative was 0 instead of ∓1.
    /// </summary>
    [Fact]
    public void Tie_masks_compare_the_same_computation_on_both_sides()
    {
        var run = GeneratorHarness.Run("using AutoGrad;\nusing static AutoGrad.Fn;\npublic static partial class L { [Loss] public static double M([Constant] double c, double w, Vec z) => Max(Log(Max(Exp(z - w), c))); }");
        run.AssertNoErrors();
        Assert.All(run.GeneratorDiagnostics, d => Assert.Equal("AG0006", d.Id)); // Max is non-smooth: info
        var z = Vec.Create(new[] { 1.1260815184219188, 1.5369436291684133, -1.344358116083014, 1.4481574890428024 });
        var (dw, dz) = run.Load().Invoke<(double, Vec)>("L", "MGradient", 0.8309637481956573, 1.439188951365272, z);
        Assert.Equal(-1.0, dw);
        Assert.Equal(new[] { 0.0, 1.0, 0.0, 0.0 }, dz.ToArray());
    }

    /// <summary>
    /// The gradient of Tanh(w) is sech²(w), 3.5e-8 at w = 9.3: computed as 1 - Tanh(w)², the float kernels gave 0 from
    /// w ≈ 9 (and 1e-4 relative error from w ≈ 5), the double ones 0 from 19.
    /// </summary>
    [Fact]
    public void Tanh_gradients_are_accurate_in_float_where_Tanh_rounds_to_one()
    {
        var driver = BatchDriver.Create("using AutoGrad;\nusing static AutoGrad.Fn;\npublic static partial class L { [Loss] public static double M(double w) => Tanh(w); }");
        var loss = driver["M"];
        var w = new[] { 0.5, -3, 5, 9.3, 12, -20, 40 };
        var dFloat = new[] { new float[w.Length] };
        var dDouble = new[] { new double[w.Length] };
        driver.Backward(loss, true, new object[] { w.Select(v => (float)v).ToArray() }, 1, dFloat, 1); // Sum: no 1/N
        driver.Backward(loss, false, new object[] { w }, 1, dDouble, 1);
        for (int i = 0; i < w.Length; i++)
        {
            double x = (float)w[i], exact = 1 / Math.Cosh(x) / Math.Cosh(x);
            Assert.True(Math.Abs(dFloat[0][i] - exact) <= 1e-6 * exact, $"float, w = {w[i]}: {dFloat[0][i]:R}, not {exact:R}");
            exact = 1 / Math.Cosh(w[i]) / Math.Cosh(w[i]);
            Assert.True(Math.Abs(dDouble[0][i] - exact) <= 1e-12 * exact, $"double, w = {w[i]}: {dDouble[0][i]:R}, not {exact:R}");
        }
    }

    /// <summary>A char constant inside the body (valid C#: 'c' is 99) made the constant folder throw: AG9999 (found by the robustness fuzzer).</summary>
    [Fact]
    public void Char_constants_fold_to_their_code()
    {
        var run = GeneratorHarness.Run("using AutoGrad;\npublic static partial class L { [Loss] public static double M(double z) => ('c') * z * z; }");
        run.AssertNoErrors();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(2 * 99 * 3.0, run.Load().Invoke<double>("L", "MGradient", 3.0));
    }
}
