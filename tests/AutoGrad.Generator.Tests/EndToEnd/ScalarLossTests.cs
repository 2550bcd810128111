using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace AutoGrad.Generator.Tests.EndToEnd;

/// <summary>
/// The scalar core end to end: real sources through the generator, compiled and run. Printed
/// formulas are stated; every gradient is checked against central finite differences of the
/// user's own method at 200+ seeded points.
/// </summary>
public sealed class ScalarLossTests
{
    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorHarness.Run(ScalarLosses.Source));

    private static Assembly Assembly => Run.Value.Load();

    [Fact]
    public void Generates_without_errors_or_diagnostics_beyond_the_non_smooth_notes()
    {
        Run.Value.AssertNoErrors();
        var ids = Run.Value.GeneratorDiagnostics.Select(d => d.Id).Distinct().ToList();
        Assert.All(ids, id => Assert.Equal("AG0006", id));
    }

    [Theory]
    [InlineData("BinaryCrossEntropy", "z", "Sigmoid(z) - y")]
    [InlineData("QuadraticOnSigmoid", "z", "Sigmoid(z) * (1 - Sigmoid(z)) * (Sigmoid(z) - y)")]
    [InlineData("CrossEntropyOnProbability", "a", "(a - y) / (a * (1 - a))")]
    [InlineData("NeuronCrossEntropy", "w", "x * (Sigmoid(b + w * x) - y)")]
    [InlineData("NeuronCrossEntropy", "b", "Sigmoid(b + w * x) - y")]
    [InlineData("Neuron", "b", "Sigmoid(b + w * x) * (1 - Sigmoid(b + w * x)) * (Sigmoid(b + w * x) - y)")]
    [InlineData("SmoothL1", "x", "Abs(x - y) < 1 ? x - y : Sign(x - y)")]
    [InlineData("Huber", "x", "Abs(x - y) <= delta ? x - y : delta * Sign(x - y)")]
    [InlineData("LogCosh", "x", "Tanh(x - y)")]
    [InlineData("PoissonNll", "z", "Exp(z) - y")]
    [InlineData("LogisticBySoftplusHand", "z", "Sigmoid(z) - y")]
    [InlineData("Neuron", "w", "x * Sigmoid(b + w * x) * (1 - Sigmoid(b + w * x)) * (Sigmoid(b + w * x) - y)")]
    [InlineData("HingeSquared", "z", "-y * (1 - z * y <= 0 ? 0 : 2 * Max(0, 1 - z * y))")]
    [InlineData("GaussianNll", "mu", "-Exp(-logVar) * (y - mu)")]
    [InlineData("GaussianNll", "logVar", "0.5 - 0.5 * Exp(-logVar) * Square(y - mu)")]
    [InlineData("Focal", "z", "gamma * Pow(Sigmoid(z), gamma) * Softplus(z) * (1 - y) * (1 - Sigmoid(z)) + Pow(Sigmoid(z), 1 + gamma) * (1 - y) - y * gamma * Sigmoid(z) * Softplus(-z) * Pow(1 - Sigmoid(z), gamma) - y * Pow(1 - Sigmoid(z), 1 + gamma)")]
    public void Printed_gradient(string loss, string parameter, string expected)
    {
        var derivation = Assembly.GetStatic<AutoGrad.Derivation>("Suite.Losses", loss + "Derivation");
        Assert.Equal(expected, derivation.Gradients[parameter]);
    }

    [Fact]
    public void The_loss_is_printed_as_computed_after_stabilization()
    {
        var derivation = Assembly.GetStatic<AutoGrad.Derivation>("Suite.Losses", "BinaryCrossEntropyDerivation");
        Assert.Equal("Max(z, 0) - z * y + Log1P(Exp(-Abs(z)))", derivation.Loss);
        Assert.Equal("L = Max(z, 0) - z * y + Log1P(Exp(-Abs(z)))\n∂L/∂z = Sigmoid(z) - y", derivation.ToString());
    }

    /// <summary>
    /// Every scalar gradient is finite at saturated logits where the true value is finite;
    /// Focal's divides by 1 - Sigmoid(z), which is 0 in double from z = 37.
    /// </summary>
    [Theory]
    [InlineData("BinaryCrossEntropy")]
    [InlineData("QuadraticOnSigmoid")]
    [InlineData("Focal")]
    [InlineData("LogisticBySoftplusHand")]
    public void Gradient_finite_at_saturated_logits(string loss)
    {
        var gradientMethod = Assembly.FindType("Suite.Losses").GetMethod(loss + "Gradient")!;
        foreach (double z in new[] { -1000.0, -100, -40, 40, 100, 1000 })
        {
            foreach (double y in new[] { 0.0, 1.0 })
            {
                var args = gradientMethod.GetParameters().Length == 3 ? new object[] { z, y, 2.0 } : new object[] { z, y };
                double g = (double)gradientMethod.Invoke(null, args)!;
                Assert.True(double.IsFinite(g), $"{loss}Gradient({string.Join(", ", args)}) = {g}");
            }
        }
    }

    public static IEnumerable<object[]> Cases() => new (string Loss, string Domain)[]
    {
        ("BinaryCrossEntropy", "logit,soft"),
        ("QuadraticOnSigmoid", "logit,soft"),
        ("CrossEntropyOnProbability", "prob,soft"),
        ("Neuron", "weight,weight,input,soft"),
        ("NeuronCrossEntropy", "weight,weight,input,soft"),
        ("Huber", "real,real,delta"),
        ("Focal", "logit,binary,gamma"),
        ("SmoothL1", "real,real"),
        ("LogCosh", "real,real"),
        ("HingeSquared", "logit,sign"),
        ("PoissonNll", "weight,count"),
        ("LogisticBySoftplusHand", "logit,soft"),
        ("GaussianNll", "real,weight,real"),
    }.Select(c => new object[] { c.Loss, c.Domain });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_finite_differences(string loss, string domain)
    {
        var type = Assembly.FindType("Suite.Losses");
        var lossMethod = type.GetMethod(loss)!;
        var gradientMethod = type.GetMethod(loss + "Gradient")!;
        var differentiated = lossMethod.GetParameters()
            .Select((p, i) => (p, i))
            .Where(t => !t.p.GetCustomAttributes().Any(a => a is AutoGrad.TargetAttribute or AutoGrad.ConstantAttribute))
            .Select(t => t.i)
            .ToArray();
        var kinds = domain.Split(',');
        // A seed that is the same in every process (string.GetHashCode is randomized per process).
        var points = new SeededPoints(loss.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & 0xffff);

        int checkedPoints = 0;
        for (int k = 0; k < 240; k++)
        {
            var x = kinds.Select(kind => Sample(points, kind)).ToArray();
            // A finite difference across a kink measures the kink, not the derivative.
            while (NearKink(loss, x)) x = kinds.Select(kind => Sample(points, kind)).ToArray();
            double Loss(double[] args) => (double)lossMethod.Invoke(null, args.Cast<object>().ToArray())!;
            var analytic = Components(gradientMethod.Invoke(null, x.Cast<object>().ToArray()));
            Assert.Equal(differentiated.Length, analytic.Length);
            for (int j = 0; j < differentiated.Length; j++)
            {
                double numeric = FiniteDifference.Partial(Loss, x, differentiated[j], richardson: true);
                FiniteDifference.AssertClose(analytic[j], numeric, 1e-6, 1e-7,
                    $"{loss}: ∂/∂{lossMethod.GetParameters()[differentiated[j]].Name} at ({string.Join(", ", x)})");
            }
            checkedPoints++;
        }
        Assert.True(checkedPoints >= 200);
    }

    private static bool NearKink(string loss, double[] x) => loss switch
    {
        "SmoothL1" => Math.Abs(Math.Abs(x[0] - x[1]) - 1) < 0.02,
        "Huber" => Math.Abs(Math.Abs(x[0] - x[1]) - x[2]) < 0.02,
        "HingeSquared" => Math.Abs(1 - x[0] * x[1]) < 0.02,
        _ => false,
    };

    private static double[] Components(object? gradient) => gradient switch
    {
        double d => new[] { d },
        ITuple t => Enumerable.Range(0, t.Length).Select(i => (double)t[i]!).ToArray(),
        _ => throw new InvalidOperationException("unexpected gradient type " + gradient?.GetType()),
    };

    private static double Sample(SeededPoints p, string kind) => kind switch
    {
        "logit" => p.Logit(8),
        "prob" => p.Double(0.02, 0.98),
        "soft" => p.Double(0, 1),
        "binary" => p.BinaryLabel(),
        "sign" => p.BinaryLabel() * 2 - 1,
        "weight" => p.Double(-3, 3),
        "input" => p.Double(-2, 2),
        "real" => p.Double(-5, 5),
        "delta" => p.Double(0.5, 2),
        "gamma" => p.Double(0, 3),
        "count" => p.Int(0, 10),
        _ => throw new ArgumentException(kind),
    };
}
