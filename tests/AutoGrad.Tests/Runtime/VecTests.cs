using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using AutoGrad;

namespace AutoGrad.Tests.Runtime;

public class VecTests
{
    [Fact]
    public void ImplicitConversionCopiesTheArray()
    {
        var source = new[] { 1.0, 2.0, 3.0 };
        Vec v = source;
        source[0] = 99.0;

        Assert.Equal(1.0, v[0]);
        Assert.Equal(3, v.Length);
    }

    [Fact]
    public void ToArrayReturnsACopy()
    {
        Vec v = new[] { 1.0, 2.0 };
        var copy = v.ToArray();
        copy[1] = -5.0;

        Assert.Equal(2.0, v[1]);
        Assert.Equal(new[] { 1.0, 2.0 }, v.ToArray());
        Assert.NotSame(v.ToArray(), v.ToArray());
    }

    [Fact]
    public void CreateCopiesTheSpan()
    {
        Span<double> source = stackalloc double[] { 4.0, 5.0 };
        var v = Vec.Create(source);
        source[0] = 0.0;

        Assert.Equal(new[] { 4.0, 5.0 }, v.ToArray());
    }

    [Fact]
    public void OperatorsDoNotModifyTheirOperands()
    {
        Vec a = new[] { 1.0, 2.0 };
        Vec b = new[] { 3.0, 4.0 };
        _ = a + b;
        _ = a * 2.0;
        _ = -a;

        Assert.Equal(new[] { 1.0, 2.0 }, a.ToArray());
        Assert.Equal(new[] { 3.0, 4.0 }, b.ToArray());
    }

    [Fact]
    public void DefaultBehavesAsEmpty()
    {
        var v = default(Vec);

        Assert.Equal(0, v.Length);
        Assert.Empty(v.ToArray());
        Assert.True(v.AsSpan().IsEmpty);
        Assert.Equal("[]", v.ToString());
        Assert.Equal(Vec.Zeros(0), v);
        Assert.Equal(Vec.Zeros(0).GetHashCode(), v.GetHashCode());
        Assert.Empty(v);
        Assert.Equal(0, (v + 1.0).Length);
        Assert.Equal(0, (v + default(Vec)).Length);
        Assert.Throws<IndexOutOfRangeException>(() => v[0]);
    }

    [Fact]
    public void IndexerThrowsOutOfRange()
    {
        Vec v = new[] { 1.0 };
        Assert.Throws<IndexOutOfRangeException>(() => v[1]);
        Assert.Throws<IndexOutOfRangeException>(() => v[-1]);
    }

    [Fact]
    public void FillAndZeros()
    {
        Assert.Equal(new[] { 2.5, 2.5, 2.5 }, Vec.Fill(3, 2.5).ToArray());
        Assert.Equal(new[] { 0.0, 0.0 }, Vec.Zeros(2).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Vec.Fill(-1, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Vec.Zeros(-1));
    }

    [Fact]
    public void CollectionExpressionBuildsAVec()
    {
        Vec v = [0.5, 1.5];
        Assert.Equal(new[] { 0.5, 1.5 }, v.ToArray());
    }

    [Fact]
    public void NullArrayConversionThrows()
    {
        double[] source = null!;
        Assert.Throws<ArgumentNullException>(() => { Vec v = source; return v; });
    }

    [Fact]
    public void VecVecOperatorsAreElementwise()
    {
        Vec a = new[] { 1.0, 2.0, 3.0 };
        Vec b = new[] { 4.0, 5.0, 6.0 };

        Assert.Equal(new[] { 5.0, 7.0, 9.0 }, (a + b).ToArray());
        Assert.Equal(new[] { -3.0, -3.0, -3.0 }, (a - b).ToArray());
        Assert.Equal(new[] { 4.0, 10.0, 18.0 }, (a * b).ToArray());
        Assert.Equal(new[] { 0.25, 0.4, 0.5 }, (a / b).ToArray());
        Assert.Equal(new[] { -1.0, -2.0, -3.0 }, (-a).ToArray());
    }

    [Fact]
    public void ScalarOperatorsApplyToEveryEntry()
    {
        Vec a = new[] { 1.0, 2.0, 4.0 };

        Assert.Equal(new[] { 3.0, 4.0, 6.0 }, (a + 2.0).ToArray());
        Assert.Equal(new[] { 3.0, 4.0, 6.0 }, (2.0 + a).ToArray());
        Assert.Equal(new[] { -1.0, 0.0, 2.0 }, (a - 2.0).ToArray());
        Assert.Equal(new[] { 1.0, 0.0, -2.0 }, (2.0 - a).ToArray());
        Assert.Equal(new[] { 3.0, 6.0, 12.0 }, (a * 3.0).ToArray());
        Assert.Equal(new[] { 3.0, 6.0, 12.0 }, (3.0 * a).ToArray());
        Assert.Equal(new[] { 0.5, 1.0, 2.0 }, (a / 2.0).ToArray());
        Assert.Equal(new[] { 4.0, 2.0, 1.0 }, (4.0 / a).ToArray());
    }

    [Fact]
    public void OperatorsWorkOnLongVectors()
    {
        // Long enough to exercise the vectorized paths and their tails.
        var n = 1037;
        var a = Vec.Create(Enumerable.Range(0, n).Select(i => (double)i).ToArray());
        var b = Vec.Fill(n, 2.0);
        var sum = a + b;
        var quotient = 1.0 / (a + 1.0);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(i + 2.0, sum[i]);
            Assert.Equal(1.0 / (i + 1.0), quotient[i]);
        }
    }

    [Fact]
    public void MismatchedLengthsThrow()
    {
        Vec a = new[] { 1.0, 2.0 };
        Vec b = new[] { 1.0, 2.0, 3.0 };

        Assert.Throws<ArgumentException>(() => a + b);
        Assert.Throws<ArgumentException>(() => a - b);
        Assert.Throws<ArgumentException>(() => a * b);
        var ex = Assert.Throws<ArgumentException>(() => a / b);
        Assert.Contains("2", ex.Message);
        Assert.Contains("3", ex.Message);
    }

    [Fact]
    public void ToStringUsesInvariantShortestRoundTrip()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Vec v = new[] { 0.1, 0.5, 0.1 };
            Assert.Equal("[0.1 0.5 0.1]", v.ToString());
            Vec w = new[] { 1.0 / 3.0, -2.0, 1e-20, double.PositiveInfinity, double.NaN };
            Assert.Equal("[0.3333333333333333 -2 1E-20 Infinity NaN]", w.ToString());
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void EqualityIsByValue()
    {
        Vec a = new[] { 1.0, double.NaN, 0.0 };
        Vec b = new[] { 1.0, double.NaN, -0.0 };
        Vec c = new[] { 1.0, double.NaN, 1.0 };
        Vec d = new[] { 1.0, double.NaN };

        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a.Equals(b));
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a != c);
        Assert.False(a.Equals(c));
        Assert.False(a.Equals(d));
        Assert.False(a.Equals("not a vec"));
    }

    [Fact]
    public void EnumeratesEntriesInOrder()
    {
        Vec v = new[] { 3.0, 1.0, 2.0 };
        var seen = new List<double>();
        foreach (var x in v)
        {
            seen.Add(x);
        }

        Assert.Equal(new[] { 3.0, 1.0, 2.0 }, seen);
        Assert.Equal(6.0, v.Sum());
        Assert.Equal(new[] { 3.0, 1.0, 2.0 }, ((IEnumerable<double>)v).ToArray());
    }

    [Fact]
    public void AsSpanIsAViewWithoutCopy()
    {
        Vec v = new[] { 1.0, 2.0 };
        Assert.True(v.AsSpan() == v.AsSpan());
        Assert.Equal(2.0, v.AsSpan()[1]);
    }
}
