namespace AutoGrad.Generator.Tests.Stages;

/// <summary>The builder's canonical algebra and hash-consing: input => expected.</summary>
public sealed class IrTests
{
    [Theory]
    [InlineData("x + x", "2 * x")]
    [InlineData("x * x", "Square(x)")]
    [InlineData("x / x", "1")]
    [InlineData("x - x", "0")]
    [InlineData("-(x + y)", "-x - y")]
    [InlineData("2 * (x + y)", "2 * x + 2 * y")]
    [InlineData("y + x", "x + y")]
    [InlineData("x * y / x", "y")]
    [InlineData("Exp(x) * Exp(y)", "Exp(x + y)")]
    [InlineData("Exp(x) / Exp(x)", "1")]
    [InlineData("Log(Exp(x))", "x")]
    [InlineData("Exp(Log(x))", "x")]
    [InlineData("Exp(-Log(x))", "1 / x")]
    [InlineData("Exp(2 * Log(x))", "Square(x)")]
    [InlineData("Pow(Sqrt(x), 2)", "x")]
    [InlineData("1 / (x * y)", "1 / (x * y)")]
    [InlineData("Square(x * y)", "Square(x) * Square(y)")]
    [InlineData("(1 + 2) * x - 3 * x", "0")]
    [InlineData("x > y ? x : y", "y < x ? x : y")]
    [InlineData("x > y ? x : x", "x")]
    [InlineData("Log(1 - Sigmoid(x))", "Log(1 - Sigmoid(x))")]
    public void Canonical_form(string input, string expected)
    {
        var f = new Formula("x, y", input);
        Assert.Equal(expected, f.Print(f.Root));
    }

    [Theory]
    [InlineData("Sum(v) / v.Length", "Mean(v)")]
    [InlineData("Sum(2 * v)", "2 * Sum(v)")]
    [InlineData("Sum(v + w)", "Sum(v) + Sum(w)")]
    [InlineData("Sum(Softmax(v))", "1")]
    [InlineData("Dot(v, w)", "Sum(v * w)")]
    [InlineData("LogSoftmax(v)", "v - LogSumExp(v)")]
    public void Vector_canonical_form(string expected, string input)
    {
        var f = new Formula("v:vec, w:vec", input);
        var g = new Formula("v:vec, w:vec", expected);
        Assert.Equal(g.Print(g.Root), f.Print(f.Root));
    }

    [Fact]
    public void Structurally_equal_expressions_are_the_same_node()
    {
        var f = new Formula("x, y", "x");
        var b = f.B;
        int x = f.Params[0], y = f.Params[1];
        Assert.Equal(b.Add(x, b.Mul(y, x)), b.Add(b.Mul(x, y), x));
        Assert.Equal(b.Sigmoid(b.Add(x, y)), b.Sigmoid(b.Add(y, x)));
        Assert.NotEqual(b.Sigmoid(x), b.Sigmoid(y));
    }

    [Fact]
    public void Extracted_dags_are_flat_children_first_and_compare_by_value()
    {
        var f1 = new Formula("z, y", "-(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)))");
        var f2 = new Formula("z, y", "-((1 - y) * Log(1 - Sigmoid(z)) + y * Log(Sigmoid(z)))");
        var d1 = f1.B.Extract(new[] { f1.Root });
        var d2 = f2.B.Extract(new[] { f2.Root });
        Assert.Equal(d1, d2);
        for (int i = 0; i < d1.Count; i++)
        {
            Assert.All(d1[i].Args, a => Assert.True(a < i));
        }
        // Sigmoid(z) is stored once though written twice.
        Assert.Single(d1.Nodes, n => n.Op == AutoGrad.Generator.IR.Op.Sigmoid);
    }
}
