using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using AutoGrad;

namespace AutoGrad.Generator.Tests.EndToEnd;

/// <summary>
/// Vector losses end to end: printed formulas stated, gradients against central finite differences
/// of the user's own method on seeded random vectors of 2 to 50 classes, one-hot and soft targets,
/// and extreme logits.
/// </summary>
public sealed class VectorLossTests
{
    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorHarness.Run(VectorLosses.Source));

    private static Assembly Assembly => Run.Value.Load();

    private const string Type = "Suite.VectorLosses";

    [Fact]
    public void Generates_without_diagnostics()
    {
        Run.Value.AssertNoErrors();
        Assert.Empty(Run.Value.GeneratorDiagnostics);
    }

    [Fact]
    public void Snapshots()
    {
        Snapshot.VerifyGenerated(Run.Value);
    }

    [Theory]
    [InlineData("SoftmaxCrossEntropy", "z", "Softmax(z) - y")]
    [InlineData("SoftmaxCrossEntropyAnyTarget", "z", "Softmax(z) * Sum(y) - y")]
    [InlineData("CrossEntropyOnProbabilities", "p", "-y / p")]
    [InlineData("KlDivergence", "z", "Softmax(z) - p")]
    [InlineData("MultiLabel", "z", "Sigmoid(z) - y")]
    [InlineData("SquaredError", "z", "z - y")]
    [InlineData("LogSumExpForm", "z", "Softmax(z) - y")]
    [InlineData("TemperedSoftmax", "z", "(Softmax(z / t) - y) / t")]
    [InlineData("LabelSmoothing", "z", "y * (eps - 1) - eps / n + Softmax(z)")]
    [InlineData("LearnedTemperature", "z", "Exp(s) * (Softmax(z * Exp(s)) - y)")]
    [InlineData("LearnedTemperature", "s", "Exp(s) * Sum(z * (Softmax(z * Exp(s)) - y))")]
    public void Printed_gradient(string loss, string parameter, string expected)
    {
        var derivation = Assembly.GetStatic<Derivation>(Type, loss + "Derivation");
        Assert.Equal(expected, derivation.Gradients[parameter]);
    }

    [Fact]
    public void Softmax_cross_entropy_loss_is_computed_with_LogSumExp()
    {
        var derivation = Assembly.GetStatic<Derivation>(Type, "SoftmaxCrossEntropyDerivation");
        Assert.Equal("∂L/∂z = Softmax(z) - y", derivation.ToString().Split('\n')[1]);
        Assert.Contains("LogSumExp(z)", derivation.Loss);
    }

    /// <summary>The seeds' worked example: equal losses, different logit gradients.</summary>
    [Fact]
    public void Worked_example()
    {
        var loss = Assembly.CreateDelegate<Func<Vec, Vec, double>>(Type, "SoftmaxCrossEntropy");
        var gradient = Assembly.CreateDelegate<Func<Vec, Vec, Vec>>(Type, "SoftmaxCrossEntropyGradient");
        Vec target = new double[] { 1, 0, 0, 0, 0 };
        Vec a = Fn.Log(new double[] { 0.1, 0.5, 0.1, 0.1, 0.2 });
        Vec b = Fn.Log(new double[] { 0.1, 0.6, 0.1, 0.1, 0.1 });

        Assert.Equal(-Math.Log(0.1), loss(a, target), 12);
        Assert.Equal(2.303, loss(b, target), 3);
        AssertVector(new[] { -0.9, 0.5, 0.1, 0.1, 0.2 }, gradient(a, target));
        AssertVector(new[] { -0.9, 0.6, 0.1, 0.1, 0.1 }, gradient(b, target));
    }

    /// <summary>
    /// The generated gradients are finite at logits where the user's written loss is not
    /// (-Sum(y * Log(Softmax(z))) is 0 * Log(0) = NaN at [1000, 0, -1000]).
    /// </summary>
    [Theory]
    [InlineData("SoftmaxCrossEntropy")]
    [InlineData("SoftmaxCrossEntropyAnyTarget")]
    [InlineData("KlDivergence")]
    [InlineData("MultiLabel")]
    [InlineData("LogSumExpForm")]
    public void Gradient_finite_at_extreme_logits(string loss)
    {
        var gradient = Assembly.CreateDelegate<Func<Vec, Vec, Vec>>(Type, loss + "Gradient");
        Vec z = new double[] { 1000, 0, -1000 };
        foreach (var y in new Vec[] { new double[] { 1, 0, 0 }, new double[] { 0, 0, 1 }, new double[] { 0.2, 0.3, 0.5 } })
        {
            var g = gradient(z, y);
            Assert.All(g.ToArray(), v => Assert.True(double.IsFinite(v), $"{loss}: gradient {g} at {z}, {y}"));
        }
        if (loss is "SoftmaxCrossEntropy" or "LogSumExpForm")
        {
            AssertVector(new[] { 1.0, 0, -1 }, gradient(z, new double[] { 0, 0, 1 }));
        }
    }

    public static IEnumerable<object[]> Cases() => new[]
    {
        "SoftmaxCrossEntropy:onehot", "SoftmaxCrossEntropy:soft",
        "SoftmaxCrossEntropyAnyTarget:unnormalized",
        "CrossEntropyOnProbabilities:prob",
        "KlDivergence:soft",
        "MultiLabel:multilabel",
        "LabelSmoothing:onehot", "LabelSmoothing:soft",
        "SquaredError:real",
        "TemperedSoftmax:soft",
        "LogSumExpForm:onehot",
        "LearnedTemperature:soft",
    }.Select(c => new object[] { c });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_finite_differences(string @case)
    {
        var parts = @case.Split(':');
        string loss = parts[0], targets = parts[1];
        var type = Assembly.FindType(Type);
        var lossMethod = type.GetMethod(loss)!;
        var gradientMethod = type.GetMethod(loss + "Gradient")!;
        var parameters = lossMethod.GetParameters();
        var rng = new SeededPoints(@case.Length * 7919);
        int checkedComponents = 0, skipped = 0;

        for (int k = 0; k < 200; k++)
        {
            int n = rng.Classes(2, 50);
            bool extreme = k % 10 == 9;
            var args = parameters.Select(p => Sample(rng, p, n, targets, extreme)).ToArray();
            var analytic = Components(gradientMethod.Invoke(null, args));
            int component = 0;
            for (int i = 0; i < parameters.Length; i++)
            {
                if (parameters[i].GetCustomAttributes().Any(a => a is TargetAttribute or ConstantAttribute)) continue;
                var g = analytic[component++];
                if (args[i] is Vec v)
                {
                    var values = v.ToArray();
                    // Check a sample of the entries (all for small vectors) so 50 classes stay cheap.
                    foreach (int j in Enumerable.Range(0, values.Length).Where(j => values.Length <= 10 || j % 7 == k % 7 || j == 0))
                    {
                        double numeric = FiniteDifference.Richardson(t =>
                        {
                            var copy = (double[])values.Clone();
                            copy[j] = t;
                            var a2 = (object[])args.Clone();
                            a2[i] = (Vec)copy;
                            return (double)lossMethod.Invoke(null, a2)!;
                        }, values[j], extreme ? 1e-3 : FiniteDifference.RichardsonStep(values[j]));
                        // The user's written loss may itself overflow at extreme logits; such points are skipped, as GradCheck does.
                        if (!double.IsFinite(numeric)) { skipped++; continue; }
                        FiniteDifference.AssertClose(g[j], numeric, 1e-6, 1e-7, $"{loss} ∂/∂{parameters[i].Name}[{j}] n={n} point {k}");
                        checkedComponents++;
                    }
                }
                else
                {
                    double x = (double)args[i];
                    double numeric = FiniteDifference.Richardson(t =>
                    {
                        var a2 = (object[])args.Clone();
                        a2[i] = t;
                        return (double)lossMethod.Invoke(null, a2)!;
                    }, x);
                    if (!double.IsFinite(numeric)) { skipped++; continue; }
                    FiniteDifference.AssertClose(g[0], numeric, 1e-6, 1e-7, $"{loss} ∂/∂{parameters[i].Name} n={n} point {k}");
                    checkedComponents++;
                }
            }
        }
        Assert.True(skipped <= checkedComponents / 10, $"{skipped} components skipped, {checkedComponents} checked");
    }

    private static object Sample(SeededPoints rng, ParameterInfo p, int n, string targets, bool extreme)
    {
        if (p.ParameterType == typeof(double))
        {
            return p.Name switch
            {
                "eps" => rng.Double(0.01, 0.3),
                "t" => rng.Double(0.5, 3),
                _ => rng.Double(-1, 1),
            };
        }
        bool isTarget = p.GetCustomAttributes().Any(a => a is TargetAttribute);
        if (!isTarget)
        {
            if (targets == "prob") return (Vec)rng.Vector(n, 0.05, 1);
            // Extreme points: logits spread far apart (the softmax saturates), still finite losses.
            return (Vec)(extreme ? rng.Vector(n, -60, 60) : rng.Vector(n, -5, 5));
        }
        return targets switch
        {
            "onehot" => (Vec)rng.OneHot(n),
            "soft" => (Vec)rng.SoftTarget(n),
            "multilabel" => (Vec)rng.Vector(n, 0, 1),
            "prob" => (Vec)rng.Vector(n, 0, 1),
            "unnormalized" => (Vec)rng.Vector(n, 0, 2),
            _ => (Vec)rng.Vector(n, -3, 3),
        };
    }

    private static List<double[]> Components(object? gradient) => gradient switch
    {
        Vec v => new List<double[]> { v.ToArray() },
        double d => new List<double[]> { new[] { d } },
        ITuple t => Enumerable.Range(0, t.Length).Select(i => t[i] is Vec v ? v.ToArray() : new[] { (double)t[i]! }).ToList(),
        _ => throw new InvalidOperationException("unexpected gradient type " + gradient?.GetType()),
    };

    private static void AssertVector(double[] expected, Vec actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }
}
