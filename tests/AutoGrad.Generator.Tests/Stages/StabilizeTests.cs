using System.Linq;

namespace AutoGrad.Generator.Tests.Stages;

/// <summary>Stability rewrites: input => expected, and the rewritten form finite where the true value is.</summary>
public sealed class StabilizeTests
{
    [Theory]
    [InlineData("Log(Sigmoid(x))", "-Softplus(-x)")]
    [InlineData("Log(1 - Sigmoid(x))", "-Softplus(x)")]
    [InlineData("Log(1 + Exp(x))", "Softplus(x)")]
    [InlineData("Log(1 + x)", "Log1P(x)")]
    [InlineData("Log1P(-Sigmoid(x))", "-Softplus(x)")]
    [InlineData("Log1P(Exp(x))", "Softplus(x)")]
    [InlineData("Log1P(Sigmoid(x) - 1)", "-Softplus(-x)")]
    [InlineData("Exp(x) - 1", "ExpM1(x)")]
    [InlineData("Log(Math.Cosh(x))", "Softplus(2 * x) - 0.6931471805599453 - x")]
    // a·Softplus(-x) + b·Softplus(x) with a + b a number: (a + b)·Max(x, 0) - a·x + (a + b)·Log1P(Exp(-Abs(x))).
    [InlineData("-(y * Log(Sigmoid(x)) + (1 - y) * Log(1 - Sigmoid(x)))", "Max(x, 0) - x * y + Log1P(Exp(-Abs(x)))")]
    [InlineData("y * Softplus(-x) + (1 - y) * Softplus(x)", "Max(x, 0) - x * y + Log1P(Exp(-Abs(x)))")]
    [InlineData("0.3 * Softplus(-x) + 0.7 * Softplus(x)", "Max(x, 0) - 0.3 * x + Log1P(Exp(-Abs(x)))")]
    [InlineData("2 * Softplus(-x) + Softplus(x)", "3 * Max(x, 0) - 2 * x + 3 * Log1P(Exp(-Abs(x)))")]
    [InlineData("-(y * LogSigmoid(x + y) + (1 - y) * Log(1 - Sigmoid(x + y)))", "Max(x + y, 0) - y * (x + y) + Log1P(Exp(-Abs(x + y)))")]
    // One softplus beside a multiple of its argument (written by hand): the cancellation comes before the logarithm.
    [InlineData("Softplus(x) - x * y", "Max(x, 0) - x * y + Log1P(Exp(-Abs(x)))")]
    [InlineData("Softplus(-x) + x", "Log1P(Exp(-Abs(x))) + Max(x, 0)")]
    // Tanh's derivative, whole or distributed over a factor: 4·p·Sigmoid(2x)·Sigmoid(-2x).
    [InlineData("1 - Square(Tanh(x))", "4 * Sigmoid(-2 * x) * Sigmoid(2 * x)")]
    [InlineData("y - y * Square(Tanh(x))", "4 * y * Sigmoid(-2 * x) * Sigmoid(2 * x)")]
    [InlineData("y * Square(Tanh(x)) - y", "-4 * y * Sigmoid(-2 * x) * Sigmoid(2 * x)")]
    // Not rewritten: the two terms are not p and -p·Tanh(x)².
    [InlineData("1 - Square(Tanh(x)) * y", "1 - y * Square(Tanh(x))")]
    [InlineData("1 - Square(Tanh(x)) - Square(Tanh(y))", "1 - Square(Tanh(x)) - Square(Tanh(y))")]
    // Not rewritten: weights that do not sum to a number, a softplus alone, arguments that are not ± each other.
    [InlineData("y * Softplus(-x) + x * Softplus(x)", "x * Softplus(x) + y * Softplus(-x)")]
    [InlineData("y * Softplus(x)", "y * Softplus(x)")]
    [InlineData("y * Softplus(-x) + (1 - y) * Softplus(y)", "y * Softplus(-x) + Softplus(y) * (1 - y)")]
    public void Rewrites(string input, string expected)
    {
        var f = new Formula("x, y", input);
        Assert.Equal(expected, f.Print(f.Stabilize(f.Root)));
    }

    /// <summary>
    /// sech²(x) = 1 - Tanh(x)² in double: Tanh(x) rounds to 1 from x ≈ 18.7, where sech²(x) is still 2e-16, and well before
    /// that the subtraction keeps only the digits Tanh(x) has below 1. The rewritten form keeps them all.
    /// </summary>
    [Theory]
    [InlineData(0.5)]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(19.5)]
    [InlineData(-30)]
    [InlineData(300)]
    public void Tanh_derivative_keeps_its_digits_where_Tanh_rounds_to_one(double x)
    {
        var f = new Formula("x, y", "1 - Square(Tanh(x))");
        double exact = 1 / System.Math.Cosh(x) / System.Math.Cosh(x);
        double stable = f.Evaluate(f.Stabilize(f.Root), new[] { new[] { x }, new[] { 0.0 } })[0];
        Assert.True(System.Math.Abs(stable - exact) <= 4e-16 * exact, $"x = {x}: {stable:R}, not {exact:R}");
        if (System.Math.Abs(x) >= 19.5) Assert.Equal(0.0, f.Evaluate(f.Root, new[] { new[] { x }, new[] { 0.0 } })[0]);
    }

    [Fact]
    public void Log_softmax_is_computed_with_LogSumExp()
    {
        var f = new Formula("z:vec", "Log(Softmax(z))");
        Assert.Equal("z - LogSumExp(z)", f.Print(f.Stabilize(f.Root)));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(-1000)]
    [InlineData(40)]
    [InlineData(-40)]
    public void Textbook_binary_cross_entropy_is_finite_after_stabilization(double z)
    {
        var f = new Formula("x, y", "-(y * Log(Sigmoid(x)) + (1 - y) * Log(1 - Sigmoid(x)))");
        foreach (double y in new[] { 0.0, 0.3, 1.0 })
        {
            double naive = f.Evaluate(f.Root, new[] { new[] { z }, new[] { y } })[0];
            double stable = f.Evaluate(f.Stabilize(f.Root), new[] { new[] { z }, new[] { y } })[0];
            Assert.True(double.IsFinite(stable), $"z={z}, y={y}: {stable}");
            double exact = y * (System.Math.Max(-z, 0) + System.Math.Log(1 + System.Math.Exp(-System.Math.Abs(z)))) + (1 - y) * (System.Math.Max(z, 0) + System.Math.Log(1 + System.Math.Exp(-System.Math.Abs(z))));
            Assert.Equal(exact, stable, 12);
            // Log(1 - Sigmoid(z)) is -inf from z = 37; Log(Sigmoid(z)) from z = -745.
            if ((z >= 40 || z <= -745) && y is > 0 and < 1) Assert.False(double.IsFinite(naive) && System.Math.Abs(naive - exact) < 1e-6, "the naive form should fail here");
        }
    }
}
