using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Tests.EndToEnd;

namespace AutoGrad.Generator.Tests.Batch;

/// <summary>
/// Every vector loss of the end-to-end suite (<see cref="VectorLosses"/>, with the targets of
/// <see cref="VectorLossTests.Cases"/>): each batch method, float and double, Mean and Sum, agrees row by row with
/// the generated scalar gradient and the user's loss, for class counts on either side of the vector widths.
/// </summary>
public sealed class VectorBatchTests
{
    private static readonly Lazy<BatchDriver> Driver = new(() => BatchDriver.Create(VectorLosses.Source));

    /// <summary>
    /// Class counts: below a Vector128 of floats, odd, rows held in one or two Vector256 (4 to 8 doubles, 8 to 16 floats: one
    /// vector, two that overlap, two that do not), one Vector256 and a bit, two and a bit, many.
    /// </summary>
    public static readonly int[] ClassCounts = { 2, 3, 4, 6, 8, 10, 16, 17, 1000 };

    /// <summary>Batch sizes (rows); the largest spans several chunks of 16384 elements for the larger class counts.</summary>
    public static readonly int[] RowCounts = { 0, 1, 7, 33 };

    public static IEnumerable<object[]> Cases() =>
        VectorLossTests.Cases().SelectMany(c => new[] { new[] { c[0], true }, new[] { c[0], (object)false } });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Batch_methods_agree_with_the_scalar_gradient(string @case, bool isFloat)
    {
        var parts = @case.Split(':');
        var signature = Driver.Value[parts[0]];
        var check = new BatchCheck(Driver.Value, signature);
        var points = new SeededPoints(ScalarBatchTests.StableSeed(@case));
        foreach (int classes in ClassCounts)
        {
            foreach (int rows in RowCounts.Append(classes <= 17 ? 2000 : 40))
            {
                var values = signature.Parameters.Select(p => Sample(points, p, rows, classes, parts[1])).ToArray();
                check.Verify(isFloat, values, rows, classes, $"{rows} × {classes}", FloatFactor(parts[0]));
            }
        }
    }

    /// <summary>
    /// LearnedTemperature scales the logits by e^s (up to e, so |z·e^s| up to 14): in float each exponent's argument
    /// then carries an absolute error of 14·2^-24 ≈ 1e-6 before Exp sees it, and Σ softmax·z inherits it.
    /// </summary>
    private static double FloatFactor(string loss) => loss == "LearnedTemperature" ? 4 : 1;

    [Fact]
    public void Every_vector_loss_of_the_suite_is_covered()
    {
        var covered = VectorLossTests.Cases().Select(c => ((string)c[0]).Split(':')[0]).ToHashSet();
        Assert.All(Driver.Value.Losses, l => Assert.Contains(l.Method, covered));
    }

    /// <summary>The values of one parameter for a whole batch, drawn as <see cref="VectorLossTests"/> draws one row.</summary>
    internal static double[] Sample(SeededPoints p, LossParameter parameter, int rows, int classes, string targets)
    {
        if (!parameter.IsVector)
        {
            Func<double> draw = parameter.Name switch
            {
                "eps" => () => p.Double(0.01, 0.3),
                "t" => () => p.Double(0.5, 3),
                _ => () => p.Double(-1, 1),
            };
            return Enumerable.Range(0, parameter.IsConstant ? 1 : rows).Select(_ => draw()).ToArray();
        }
        var result = new List<double>();
        for (int r = 0; r < (parameter.IsConstant ? 1 : rows); r++)
        {
            result.AddRange(!parameter.IsTarget
                ? targets == "prob" ? p.Vector(classes, 0.05, 1) : p.Vector(classes, -5, 5)
                : targets switch
                {
                    "onehot" => p.OneHot(classes),
                    "soft" => p.SoftTarget(classes),
                    "multilabel" or "prob" => p.Vector(classes, 0, 1),
                    "unnormalized" => p.Vector(classes, 0, 2),
                    _ => p.Vector(classes, -3, 3),
                });
        }
        return result.ToArray();
    }
}
