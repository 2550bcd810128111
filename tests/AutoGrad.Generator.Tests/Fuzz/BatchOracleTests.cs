using System;
using System.Linq;

namespace AutoGrad.Generator.Tests.Fuzz;

/// <summary>The batch half of the fuzz oracle finds a wrong kernel, says where, and the shrinker reduces the loss.</summary>
public sealed class BatchOracleTests
{
    [Fact]
    public void A_kernel_wrong_by_a_billionth_fails_with_the_point_and_is_shrunk()
    {
        // The double MForward of every loss with a Softplus is made wrong by one part in 10^9 (in its adapter).
        BatchOracle.Sabotage.Value = l => l.ToString().Contains("Softplus(", StringComparison.Ordinal);
        try
        {
            var loss = FParse.Loss("L0", "double x, [Target] double y, double w", "(Softplus((x * w)) + Square((w - y)))");
            int compilations = 0, partials = 0;
            var outcome = GradientOracle.CheckBatch(new[] { loss }, "Sabotaged", 7, ref compilations, ref partials, sameSeedForAll: true).Single();
            Assert.True(outcome.CheckedPoints > 0, "the gradient was not checked");
            var lines = outcome.Failure!.Split('\n');
            Assert.StartsWith("batch double: L0 double n = 1: Forward(Mean): got ", lines[0]);
            Assert.Contains(", reference ", lines[0]);
            Assert.StartsWith("  row 0: (x = ", lines[1]);
            Assert.Equal(2, lines.Length);

            var reduced = Shrinker.Reduce(loss, 7);
            Assert.StartsWith("batch double: L0 double n = 1: Forward(Mean): got ", reduced.Failure);
            Assert.Contains("Softplus(", reduced.Loss.ToString());
            Assert.True(reduced.Loss.Size <= 2, reduced.Loss.ToString());
        }
        finally
        {
            BatchOracle.Sabotage.Value = null;
        }
    }

    [Fact]
    public void The_same_loss_passes_without_the_sabotage()
    {
        var loss = FParse.Loss("L0", "double x, [Target] double y, double w", "(Softplus((x * w)) + Square((w - y)))");
        int compilations = 0, partials = 0;
        var outcome = GradientOracle.CheckBatch(new[] { loss }, "Sound", 7, ref compilations, ref partials, sameSeedForAll: true).Single();
        Assert.True(outcome.Failure is null, outcome.Failure);
        // Lengths 1, 7 and 9, in double and float.
        Assert.Equal(6, outcome.Batches);
    }

    /// <summary>
    /// The worst error is reported against the bound the oracle holds a kernel to. Seed 7's sweep reported this loss at
    /// 0.97 of its float bound, measured against the relative tolerance alone: Exp of a cross-entropy over 11 classes
    /// turns the cross-entropy's absolute rounding into relative error (the loss as written does the same). Against
    /// the rounding bound that the oracle also allows it is 0.13 of the bound (this seed gave 0.97 before).
    /// </summary>
    [Fact]
    public void Near_misses_are_measured_against_the_bound_applied()
    {
        var loss = FParse.Loss("L4724", "double x, Vec v, [Constant] double c", "Exp(-Sum(Softmax(-v / Exp(v) + v) * Log(Softmax(c + v + x)))) - 1");
        int compilations = 0, partials = 0;
        var outcome = GradientOracle.CheckBatch(new[] { loss }, "NearMiss", 4, ref compilations, ref partials, sameSeedForAll: true).Single();
        Assert.True(outcome.Failure is null, outcome.Failure);
        Assert.True(outcome.WorstFloat < BatchOracle.NearBound, $"worst float error / bound {outcome.WorstFloat:G3}");
    }

    [Fact]
    public void Soft_targets_sum_to_one_exactly_as_floats()
    {
        var points = new SeededPoints(3);
        foreach (int classes in new[] { 2, 3, 11, 20 })
        {
            for (int i = 0; i < 50; i++)
            {
                var t = BatchOracle.SumsToOne(points.SoftTarget(classes));
                Assert.All(t, v => Assert.True(v >= 0 && (double)(float)v == v, v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
                Assert.Equal(1.0, t.Sum());
                Assert.Equal(1.0, t.Aggregate(0.0, (a, v) => a + v));
            }
        }
    }

    /// <summary>
    /// FRounding's bound of a loss's rounding error holds for a float computation of the loss as written (every value
    /// rounded once, <see cref="FEvaluator"/> in float) on fuzzed losses, and is not vacuous: it is tight on some.
    /// </summary>
    [Fact]
    public void Rounding_bounds_hold_for_float_evaluations_of_fuzzed_losses()
    {
        var fuzzer = new LossFuzzer(11);
        var points = new SeededPoints(12);
        int evaluated = 0;
        double worst = 0;
        for (int i = 0; i < 1500; i++)
        {
            var loss = fuzzer.Next("L" + i);
            int classes = points.Int(2, 12);
            var x = loss.Parameters.ToDictionary(p => p.Name, p => GradientOracle.Sample(points, p, classes).Select(v => (double)(float)v).ToArray());
            var (exact, valid, _) = FEvaluator.Evaluate(loss, x, classes, BatchOracle.KinkMargin, out _);
            var (inFloat, validInFloat, _) = FEvaluator.Evaluate(loss, x, classes, BatchOracle.KinkMargin, inFloat: true, out _);
            if (!valid || !validInFloat) continue;
            double bound = FRounding.Analyze(loss, x, classes).Loss * BatchOracle.FloatRoundoff;
            double error = Math.Abs(inFloat - exact);
            Assert.True(error <= bound, $"{loss}\nat classes = {classes}: float {inFloat:R}, double {exact:R}, error {error:R} > bound {bound:R}");
            evaluated++;
            if (error > 0) worst = Math.Max(worst, error / bound);
        }
        Assert.True(evaluated > 1000, evaluated.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(worst > 0.1, "the bounds are never approached: " + worst.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }
}
