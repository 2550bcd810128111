using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Tests.EndToEnd;

namespace AutoGrad.Generator.Tests.Batch;

/// <summary>
/// Every scalar loss of the end-to-end suite (<see cref="ScalarLosses"/>, with the domains of
/// <see cref="ScalarLossTests.Cases"/>): each batch method, float and double, Mean and Sum, agrees with the
/// generated scalar gradient and the user's loss at batch lengths around every vector width and chunk boundary.
/// </summary>
public sealed class ScalarBatchTests
{
    private static readonly Lazy<BatchDriver> Driver = new(() => BatchDriver.Create(ScalarLosses.Source));

    /// <summary>Empty, one, either side of 8 lanes, odd, just under 1024, and past one chunk of 16384.</summary>
    public static readonly int[] Lengths = { 0, 1, 7, 8, 9, 33, 1023, 20001 };

    public static IEnumerable<object[]> Cases() =>
        ScalarLossTests.Cases().SelectMany(c => new[] { new[] { c[0], c[1], true }, new[] { c[0], c[1], (object)false } });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Batch_methods_agree_with_the_scalar_gradient(string loss, string domain, bool isFloat)
    {
        var signature = Driver.Value[loss];
        var check = new BatchCheck(Driver.Value, signature);
        var kinds = domain.Split(',');
        var points = new SeededPoints(StableSeed(loss));
        foreach (int n in Lengths)
        {
            var values = signature.Parameters
                .Select((p, i) => Enumerable.Range(0, p.IsConstant ? 1 : n).Select(_ => Sample(points, kinds[i])).ToArray())
                .ToArray();
            check.Verify(isFloat, values, n, 1, "n = " + n);
        }
    }

    [Fact]
    public void Every_loss_of_the_suite_is_covered()
    {
        var covered = ScalarLossTests.Cases().Select(c => (string)c[0]).ToHashSet();
        Assert.All(Driver.Value.Losses, l => Assert.Contains(l.Method, covered));
    }

    /// <summary>A seed from the loss's name that is the same in every process (string.GetHashCode is randomized per process).</summary>
    internal static int StableSeed(string name) => name.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & 0xffff;

    internal static double Sample(SeededPoints p, string kind) => kind switch
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
        _ => throw new ArgumentException("unknown domain kind " + kind, nameof(kind)),
    };
}
