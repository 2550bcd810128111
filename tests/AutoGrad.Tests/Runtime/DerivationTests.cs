using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad;

namespace AutoGrad.Tests.Runtime;

public class DerivationTests
{
    [Fact]
    public void ToStringPrintsTheLossThenOneLinePerGradient()
    {
        var derivation = new Derivation(
            "Max(z, 0) - z * y + Log1P(Exp(-Abs(z)))",
            new[] { KeyValuePair.Create("z", "Sigmoid(z) - y") });

        Assert.Equal("L = Max(z, 0) - z * y + Log1P(Exp(-Abs(z)))\n∂L/∂z = Sigmoid(z) - y", derivation.ToString());
    }

    [Fact]
    public void GradientsKeepInsertionOrder()
    {
        var derivation = new Derivation(
            "(a - y) * (a - y) / 2",
            new[]
            {
                KeyValuePair.Create("w", "(a - y) * a * (1 - a) * x"),
                KeyValuePair.Create("b", "(a - y) * a * (1 - a)"),
                KeyValuePair.Create("a0", "0"),
            });

        Assert.Equal("(a - y) * (a - y) / 2", derivation.Loss);
        Assert.Equal(new[] { "w", "b", "a0" }, derivation.Gradients.Keys.ToArray());
        Assert.Equal(new[] { "w", "b", "a0" }, derivation.Gradients.Select(p => p.Key).ToArray());
        Assert.Equal("(a - y) * a * (1 - a)", derivation.Gradients["b"]);
        Assert.Equal(3, derivation.Gradients.Count);
        Assert.Equal(
            "L = (a - y) * (a - y) / 2\n∂L/∂w = (a - y) * a * (1 - a) * x\n∂L/∂b = (a - y) * a * (1 - a)\n∂L/∂a0 = 0",
            derivation.ToString());
    }

    [Fact]
    public void GradientsCannotBeModified()
    {
        var source = new List<KeyValuePair<string, string>> { KeyValuePair.Create("z", "Softmax(z) - y") };
        var derivation = new Derivation("LogSumExp(z) - Dot(y, z)", source);
        source.Add(KeyValuePair.Create("q", "1"));

        Assert.Single(derivation.Gradients);
        Assert.False(derivation.Gradients is IDictionary<string, string> { IsReadOnly: false });
    }

    [Fact]
    public void NoGradientsPrintsOnlyTheLoss()
    {
        Assert.Equal("L = 0", new Derivation("0", Array.Empty<KeyValuePair<string, string>>()).ToString());
    }

    [Fact]
    public void InvalidArgumentsThrow()
    {
        Assert.Throws<ArgumentNullException>(() => new Derivation(null!, Array.Empty<KeyValuePair<string, string>>()));
        Assert.Throws<ArgumentNullException>(() => new Derivation("x", null!));
        Assert.Throws<ArgumentException>(() => new Derivation("x", new[] { KeyValuePair.Create("z", "1"), KeyValuePair.Create("z", "2") }));
        Assert.Throws<ArgumentNullException>(() => new Derivation("x", new[] { KeyValuePair.Create("z", (string)null!) }));
    }
}
