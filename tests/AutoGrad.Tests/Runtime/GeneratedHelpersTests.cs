using System;
using AutoGrad;
using AutoGrad.Internal;

namespace AutoGrad.Tests.Runtime;

public class GeneratedHelpersTests
{
    private static readonly Vec A = new[] { 1.0, 2.0, 3.0, double.NaN };
    private static readonly Vec B = new[] { 2.0, 2.0, 2.0, 2.0 };

    [Fact]
    public void SignOfScalarsAndVectors()
    {
        Assert.Equal(-1.0, GeneratedHelpers.Sign(-3.5));
        Assert.Equal(1.0, GeneratedHelpers.Sign(1e-300));
        Assert.Equal(0.0, GeneratedHelpers.Sign(0.0));
        Assert.Equal(0.0, GeneratedHelpers.Sign(-0.0));
        Assert.Equal(1.0, GeneratedHelpers.Sign(double.PositiveInfinity));
        Assert.True(double.IsNaN(GeneratedHelpers.Sign(double.NaN)));
        Assert.Equal(new[] { -1.0, 0.0, 1.0, double.NaN }, GeneratedHelpers.Sign(new[] { -2.0, 0.0, 5.0, double.NaN }).ToArray());
    }

    [Fact]
    public void ComparisonsProduceMasks()
    {
        Assert.Equal(new[] { 1.0, 0.0, 0.0, 0.0 }, GeneratedHelpers.Less(A, B).ToArray());
        Assert.Equal(new[] { 1.0, 1.0, 0.0, 0.0 }, GeneratedHelpers.LessOrEqual(A, B).ToArray());
        Assert.Equal(new[] { 0.0, 0.0, 1.0, 0.0 }, GeneratedHelpers.Greater(A, B).ToArray());
        Assert.Equal(new[] { 0.0, 1.0, 1.0, 0.0 }, GeneratedHelpers.GreaterOrEqual(A, B).ToArray());
        Assert.Equal(new[] { 0.0, 1.0, 0.0, 0.0 }, GeneratedHelpers.Equal(A, B).ToArray());
        Assert.Equal(new[] { 1.0, 0.0, 1.0, 1.0 }, GeneratedHelpers.NotEqual(A, B).ToArray());

        Assert.Equal(new[] { 1.0, 0.0, 0.0, 0.0 }, GeneratedHelpers.Less(A, 2.0).ToArray());
        Assert.Equal(new[] { 0.0, 0.0, 1.0, 0.0 }, GeneratedHelpers.Less(2.0, A).ToArray());
        Assert.Equal(new[] { 1.0, 1.0, 0.0, 0.0 }, GeneratedHelpers.LessOrEqual(A, 2.0).ToArray());
        Assert.Equal(new[] { 0.0, 1.0, 1.0, 0.0 }, GeneratedHelpers.LessOrEqual(2.0, A).ToArray());
        Assert.Equal(new[] { 0.0, 0.0, 1.0, 0.0 }, GeneratedHelpers.Greater(A, 2.0).ToArray());
        Assert.Equal(new[] { 1.0, 0.0, 0.0, 0.0 }, GeneratedHelpers.Greater(2.0, A).ToArray());
        Assert.Equal(new[] { 0.0, 1.0, 1.0, 0.0 }, GeneratedHelpers.GreaterOrEqual(A, 2.0).ToArray());
        Assert.Equal(new[] { 1.0, 1.0, 0.0, 0.0 }, GeneratedHelpers.GreaterOrEqual(2.0, A).ToArray());
        Assert.Equal(new[] { 0.0, 1.0, 0.0, 0.0 }, GeneratedHelpers.Equal(A, 2.0).ToArray());
        Assert.Equal(new[] { 0.0, 1.0, 0.0, 0.0 }, GeneratedHelpers.Equal(2.0, A).ToArray());
        Assert.Equal(new[] { 1.0, 0.0, 1.0, 1.0 }, GeneratedHelpers.NotEqual(A, 2.0).ToArray());
        Assert.Equal(new[] { 1.0, 0.0, 1.0, 1.0 }, GeneratedHelpers.NotEqual(2.0, A).ToArray());

        Assert.Throws<ArgumentException>(() => GeneratedHelpers.Less(A, new[] { 1.0 }));
        Assert.Throws<ArgumentException>(() => GeneratedHelpers.Greater(A, new[] { 1.0 }));
    }

    [Fact]
    public void SelectPicksByMask()
    {
        Vec mask = new[] { 1.0, 0.0, -2.0 };
        Vec t = new[] { 10.0, 20.0, 30.0 };
        Vec f = new[] { -10.0, -20.0, -30.0 };

        Assert.Equal(new[] { 10.0, -20.0, 30.0 }, GeneratedHelpers.Select(mask, t, f).ToArray());
        Assert.Equal(new[] { 5.0, -20.0, 5.0 }, GeneratedHelpers.Select(mask, 5.0, f).ToArray());
        Assert.Equal(new[] { 10.0, 7.0, 30.0 }, GeneratedHelpers.Select(mask, t, 7.0).ToArray());
        Assert.Equal(new[] { 1.0, 0.0, 1.0 }, GeneratedHelpers.Select(mask, 1.0, 0.0).ToArray());
        Assert.Throws<ArgumentException>(() => GeneratedHelpers.Select(mask, t, new[] { 1.0 }));
        Assert.Throws<ArgumentException>(() => GeneratedHelpers.Select(mask, new[] { 1.0 }, 0.0));
    }

    [Fact]
    public void BroadcastAndClassCount()
    {
        Assert.Equal(Vec.Fill(3, 0.5), GeneratedHelpers.Broadcast(3, 0.5));
        Assert.Equal(3, GeneratedHelpers.ClassCount(B.AsSpan().Slice(0, 3).ToArray(), new[] { 0.0, 0.0, 1.0 }));
        Assert.Equal(4, GeneratedHelpers.ClassCount(new Vec[] { A, B }));

        var ex = Assert.Throws<ArgumentException>(() => GeneratedHelpers.ClassCount(A, B, new[] { 1.0 }));
        Assert.Contains("all Vec parameters of a loss must have the same length", ex.Message, StringComparison.Ordinal);
        Assert.Contains("argument 2 has length 1", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => GeneratedHelpers.ClassCount(Array.Empty<Vec>()));
    }
}
