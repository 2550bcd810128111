using System;
using System.Linq;

namespace AutoGrad.Generator.Tests.Stages;

/// <summary>Closed forms the simplifier reaches from raw reverse-mode gradients: input => expected.</summary>
public sealed class SimplifyTests
{
    [Theory]
    // The headline results of the contract.
    [InlineData("z, y:target", "-(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)))", "z", "Sigmoid(z) - y")]
    [InlineData("z:vec, y:vec:target:sums1", "-Sum(y * Log(Softmax(z)))", "z", "Softmax(z) - y")]
    [InlineData("z:vec, y:vec:target", "-Sum(y * Log(Softmax(z)))", "z", "Softmax(z) * Sum(y) - y")]
    // The seeds' other closed forms.
    [InlineData("z, y:target", "(Sigmoid(z) - y) * (Sigmoid(z) - y) / 2", "z", "Sigmoid(z) * (1 - Sigmoid(z)) * (Sigmoid(z) - y)")]
    [InlineData("a, y:target", "-(y * Log(a) + (1 - y) * Log(1 - a))", "a", "(a - y) / (a * (1 - a))")]
    [InlineData("w, b, x:const, y:target", "-(y * Log(Sigmoid(w * x + b)) + (1 - y) * Log(1 - Sigmoid(w * x + b)))", "w", "x * (Sigmoid(b + w * x) - y)")]
    [InlineData("w, b, x:const, y:target", "-(y * Log(Sigmoid(w * x + b)) + (1 - y) * Log(1 - Sigmoid(w * x + b)))", "b", "Sigmoid(b + w * x) - y")]
    // Identities beyond the headline losses.
    [InlineData("z, y:target", "Log(1 + Exp(z)) - y * z", "z", "Sigmoid(z) - y")]
    [InlineData("z, y:target", "Log1P(Exp(z)) - y * z", "z", "Sigmoid(z) - y")]
    [InlineData("z, y:target", "-(y * LogSigmoid(z) + (1 - y) * LogSigmoid(-z))", "z", "Sigmoid(z) - y")]
    [InlineData("x, y:target", "Log(Math.Cosh(x - y))", "x", "Tanh(x - y)")]
    [InlineData("x, y:target", "Abs(x - y) < 1 ? 0.5 * (x - y) * (x - y) : Abs(x - y) - 0.5", "x", "Abs(x - y) < 1 ? x - y : Sign(x - y)")]
    [InlineData("z, y:target", "Exp(z) - y * z", "z", "Exp(z) - y")]
    [InlineData("z:vec, y:vec:target", "-Sum(y * LogSigmoid(z) + (1 - y) * Log(1 - Sigmoid(z)))", "z", "Sigmoid(z) - y")]
    [InlineData("z:vec, y:vec:target", "LogSumExp(z) - Dot(y, z)", "z", "Softmax(z) - y")]
    [InlineData("p:vec, y:vec:target", "-Sum(y * Log(p))", "p", "-y / p")]
    [InlineData("z:vec, y:vec:target", "Sum(Square(z - y)) / 2", "z", "z - y")]
    [InlineData("z:vec, p:vec:target:sums1", "Sum(p * (Log(p) - LogSoftmax(z)))", "z", "Softmax(z) - p")]
    [InlineData("x", "Max(x, 0) * Max(x, 0)", "x", "0 <= x ? 2 * x : 0")]
    [InlineData("x, y:target", "Square(Min(x, y) - 1)", "x", "x <= y ? 2 * x - 2 : 0")]
    // softmax-shift: a shift by a scalar is invisible to Softmax and LogSoftmax, and comes out of LogSumExp.
    [InlineData("z:vec, y:vec:target:sums1, x", "-Sum(y * Log(Softmax(z + x)))", "z", "Softmax(z) - y")]
    [InlineData("z:vec, x", "LogSumExp(z + 2 * x)", "x", "2")]
    [InlineData("z:vec, y:vec:target, x", "-Sum(y * Log(Softmax(z + x)))", "x", "0")]
    // Terms the builder's algebra makes while rebuilding get the rules too: Σ(Softmax(z) − y) = 1 − Σy = 0.
    [InlineData("z:vec, y:vec:target:sums1, x", "-Sum(y * Log(Softmax(z + x)))", "x", "0")]
    [InlineData("z:vec, y:vec:target:sums1, x", "-Sum(y * Log(Softmax(z * x)))", "x", "Sum(z * (Softmax(z * x) - y))")]
    [InlineData("z:vec, y:vec:target:sums1, x", "-Sum(y * LogSoftmax(z * x))", "x", "Sum(z * (Softmax(z * x) - y))")]
    public void Closed_form(string parameters, string loss, string wrt, string expected)
    {
        var f = new Formula(parameters, loss);
        Assert.Equal(expected, f.Gradient(wrt));
    }

    [Theory]
    [InlineData("z, y:target, g:const", "-(y * Pow(1 - Sigmoid(z), g) * Log(Sigmoid(z)) + (1 - y) * Pow(Sigmoid(z), g) * Log(1 - Sigmoid(z)))", "z")]
    [InlineData("z, y:target", "Square(Max(0, 1 - y * z))", "z")]
    [InlineData("m, s, y:target", "0.5 * (s + (y - m) * (y - m) / Exp(s))", "s")]
    [InlineData("z:vec, y:vec:target, eps:const", "(1 - eps) * -Sum(y * LogSoftmax(z)) - eps * Mean(LogSoftmax(z))", "z")]
    [InlineData("z:vec, y:vec:target, t:const", "-Sum(y * LogSoftmax(z / t))", "z")]
    [InlineData("z:vec, y:vec:target", "Sum(Sigmoid(z) * (1 - y)) + Max(z) - Mean(y * z)", "z")]
    [InlineData("x, y", "Sigmoid(x) * Sigmoid(-x) + Exp(x) / (1 + Exp(x)) + x * y / (x * y + 1)", "x")]
    [InlineData("z:vec, x", "Sum(Softmax(z * x + x) * z) + LogSumExp(z - x + 1)", "x")]
    [InlineData("z:vec, x", "Sum(Softmax(z * x + x) * z) + LogSumExp(z - x + 1)", "z")]
    public void Simplified_equals_raw_in_value_and_is_no_larger(string parameters, string loss, string wrt)
    {
        var f = new Formula(parameters, loss);
        int raw = f.RawGradient(wrt);
        int simplified = f.Simplify(raw);
        Assert.True(f.Cost(simplified) <= f.Cost(raw) + 1e-9, $"{f.Print(simplified)} costs more than {f.Print(raw)}");
        var rng = new Random(3);
        var vectorParams = parameters.Split(',').Select(p => p.Contains("vec")).ToArray();
        for (int k = 0; k < 100; k++)
        {
            int n = rng.Next(2, 7);
            var values = vectorParams.Select(v => Enumerable.Range(0, v ? n : 1).Select(_ => 0.05 + 0.9 * rng.NextDouble()).ToArray()).ToArray();
            var a = f.Evaluate(raw, values, n);
            var b = f.Evaluate(simplified, values, n);
            for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
            {
                double x = a[a.Length == 1 ? 0 : i], y = b[b.Length == 1 ? 0 : i];
                Assert.True(Math.Abs(x - y) <= 1e-9 * (1 + Math.Abs(x)), $"{f.Print(raw)} = {x} but {f.Print(simplified)} = {y}");
            }
        }
    }

    [Fact]
    public void The_rules_that_reach_the_headline_are_general_rules()
    {
        var f = new Formula("z, y:target", "-(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)))");
        var simplifier = new AutoGrad.Generator.Simplify.Simplifier(f.B);
        Assert.Equal("Sigmoid(z) - y", f.Print(simplifier.Simplify(f.RawGradient("z"))));
        Assert.Equal(AutoGrad.Generator.Simplify.StopReason.Saturated, simplifier.Stop);
    }

    [Fact]
    public void Limits_stop_the_rewriter_and_say_why()
    {
        var f = new Formula("z, y:target", "-(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)))");
        var simplifier = new AutoGrad.Generator.Simplify.Simplifier(f.B, limits: new AutoGrad.Generator.Simplify.SimplifierLimits(MaxNodes: 1));
        simplifier.Simplify(f.RawGradient("z"));
        Assert.Equal(AutoGrad.Generator.Simplify.StopReason.NodeLimit, simplifier.Stop);
    }
}
