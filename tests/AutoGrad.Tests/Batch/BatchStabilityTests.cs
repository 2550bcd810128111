using System;
using System.Linq;

namespace AutoGrad.Tests.Batch;

/// <summary>
/// API.md §4 for the batch kernels: losses written the textbook way stay finite and exact where the true value is
/// finite, in float and double, at logits far outside the range where the written form works.
/// </summary>
public sealed class BatchStabilityTests
{
    public static readonly double[] ExtremeLogits = { -1000, -100, -40, -20, 20, 40, 100, 1000 };

    /// <summary>
    /// BCE with logits computed stably in double: y·softplus(−z) + (1 − y)·softplus(z) with softplus(x) =
    /// max(x, 0) + log1p(e^−|x|) (no cancellation for y = 0 or 1), and σ(z) − y.
    /// </summary>
    private static (double Loss, double Gradient) BceReference(double z, double y)
    {
        double e = Math.Exp(-Math.Abs(z));
        double u = 1 + e;
        double log1p = u == 1 ? e : Math.Log(u) * e / (u - 1);
        double loss = y * (Math.Max(-z, 0) + log1p) + (1 - y) * (Math.Max(z, 0) + log1p);
        double sigmoid = z >= 0 ? 1 / (1 + e) : e / (1 + e);
        return (loss, sigmoid - y);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(0.25)]
    [InlineData(0.3)]
    public void Bce_is_finite_and_exact_at_extreme_logits_in_double(double label)
    {
        var z = ExtremeLogits;
        var y = z.Select(_ => label).ToArray();
        var losses = new double[z.Length];
        var dz = new double[z.Length];
        BatchLosses.BinaryCrossEntropyForward(z, y, losses);
        double sum = BatchLosses.BinaryCrossEntropyForwardBackward(z, y, dz, Reduction.Sum);
        for (int i = 0; i < z.Length; i++)
        {
            var (loss, gradient) = BceReference(z[i], y[i]);
            Assert.True(double.IsFinite(losses[i]) && double.IsFinite(dz[i]), $"z = {z[i]}: loss {losses[i]}, dz {dz[i]}");
            Assert.Equal(loss, losses[i], loss * 1e-12 + 1e-300);
            Assert.Equal(gradient, dz[i], Math.Abs(gradient) * 1e-12 + 1e-300);
        }
        Assert.Equal(z.Select((zi, i) => BceReference(zi, y[i]).Loss).Sum(), sum, 1e-9);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(0.25)]
    [InlineData(0.3)]
    public void Bce_is_finite_and_exact_at_extreme_logits_in_float(double label)
    {
        var z = ExtremeLogits.Select(v => (float)v).ToArray();
        var y = z.Select(_ => (float)label).ToArray();
        var losses = new float[z.Length];
        var dz = new float[z.Length];
        BatchLosses.BinaryCrossEntropyForward(z, y, losses);
        BatchLosses.BinaryCrossEntropyBackward(z, y, dz, Reduction.Sum);
        for (int i = 0; i < z.Length; i++)
        {
            var (loss, gradient) = BceReference(z[i], y[i]);
            Assert.True(float.IsFinite(losses[i]) && float.IsFinite(dz[i]), $"z = {z[i]}: loss {losses[i]}, dz {dz[i]}");
            Assert.Equal(loss, losses[i], Math.Abs(loss) * 1e-6 + 1e-30);
            // σ(z) − y in float: σ(20) rounds to 1, so the best float answer for y = 1 is 0 (the true value is −2e−9).
            Assert.Equal(gradient, dz[i], Math.Max(Math.Abs(gradient) * 1e-6, 6e-8));
        }
    }

    [Fact]
    public void Softmax_cross_entropy_at_logits_1000_0_minus_1000_is_exact()
    {
        var z = new[] { 1000.0, 0, -1000, 1000, 0, -1000, 1000, 0, -1000 };
        var y = new[] { 1.0, 0, 0, 0, 1, 0, 0, 0, 1 };
        var losses = new double[3];
        var dz = new double[9];
        BatchLosses.SoftmaxCrossEntropyForward(z, y, 3, losses);
        Assert.Equal(new[] { 0.0, 1000, 2000 }, losses);
        BatchLosses.SoftmaxCrossEntropyBackward(z, y, 3, dz, Reduction.Sum);
        Assert.Equal(new[] { 0.0, 0, 0, 1, -1, 0, 1, 0, -1 }, dz);

        var zf = z.Select(v => (float)v).ToArray();
        var yf = y.Select(v => (float)v).ToArray();
        var lossesf = new float[3];
        var dzf = new float[9];
        BatchLosses.SoftmaxCrossEntropyForward(zf, yf, 3, lossesf);
        Assert.Equal(new[] { 0f, 1000, 2000 }, lossesf);
        Assert.Equal(1000f, BatchLosses.SoftmaxCrossEntropyForwardBackward(zf, yf, 3, dzf));
        Assert.Equal(new[] { 0f, 0, 0, 1, -1, 0, 1, 0, -1 }.Select(v => v / 3).ToArray(), dzf);
    }

    [Fact]
    public void Multi_label_written_the_textbook_way_is_finite_at_extreme_logits()
    {
        // 8 classes in a row: one Vector256 of floats, so the whole row goes through the vector lanes.
        var z = ExtremeLogits.Concat(ExtremeLogits.Reverse()).Select(v => (float)v).ToArray();
        var y = z.Select((_, i) => (float)(i % 2)).ToArray();
        var losses = new float[2];
        var dz = new float[z.Length];
        BatchLosses.MultiLabelForward(z, y, 8, losses);
        BatchLosses.MultiLabelBackward(z, y, 8, dz, Reduction.Sum);
        for (int r = 0; r < 2; r++)
        {
            double expected = Enumerable.Range(r * 8, 8).Sum(i => BceReference(z[i], y[i]).Loss);
            Assert.Equal(expected, losses[r], expected * 1e-6);
        }
        for (int i = 0; i < z.Length; i++)
        {
            Assert.Equal(BceReference(z[i], y[i]).Gradient, dz[i], 1e-6);
        }
    }

    [Fact]
    public void Focal_loss_has_finite_gradients_where_one_minus_sigmoid_rounds_to_zero()
    {
        // In float 1 - Sigmoid(z) is 0 for z > 17; the kernels compute it as Sigmoid(-z).
        var z = new[] { 20f, 40f, -20f, -40f };
        var y = new[] { 1f, 0f, 1f, 0f };
        var dz = new float[4];
        float loss = BatchLosses.FocalForwardBackward(z, y, 2f, dz, Reduction.Sum);
        Assert.True(float.IsFinite(loss));
        Assert.All(dz, d => Assert.True(float.IsFinite(d), string.Join(", ", dz)));
    }
}
