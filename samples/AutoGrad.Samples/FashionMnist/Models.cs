using System;
using System.Numerics.Tensors;

namespace AutoGrad.Samples.FashionMnist;

/// <summary>A classifier trained by minibatch SGD on the softmax cross-entropy of its logits.</summary>
public interface IClassifier
{
    string Name { get; }

    int ParameterCount { get; }

    /// <summary>The logits (count × 10, row-major) of <paramref name="count"/> images (count × 784).</summary>
    void Logits(ReadOnlySpan<float> images, int count, Span<float> logits);

    /// <summary>One SGD step on the mean loss of a minibatch; returns the summed loss and correct predictions before the step.</summary>
    (double LossSum, int Correct) TrainStep(ReadOnlySpan<float> images, ReadOnlySpan<byte> labels, int count, float learningRate);
}

/// <summary>Multinomial logistic regression (softmax regression): logits z = W·x + b, 784 → 10.</summary>
public sealed class SoftmaxRegression(LossKernel kernel = LossKernel.Batch) : IClassifier
{
    private const int In = Dataset.Pixels;
    private const int Out = Dataset.Classes;

    private readonly LossLayer _loss = new(kernel);

    private readonly float[] _w = new float[Out * In];
    private readonly float[] _b = new float[Out];
    private float[] _logits = Array.Empty<float>();
    private float[] _dz = Array.Empty<float>();

    public string Name => "softmax regression (784 → 10)";

    public int ParameterCount => _w.Length + _b.Length;

    public void Logits(ReadOnlySpan<float> images, int count, Span<float> logits)
    {
        for (int i = 0; i < count; i++)
        {
            var x = images.Slice(i * In, In);
            for (int k = 0; k < Out; k++) logits[i * Out + k] = TensorPrimitives.Dot(_w.AsSpan(k * In, In), x) + _b[k];
        }
    }

    public (double LossSum, int Correct) TrainStep(ReadOnlySpan<float> images, ReadOnlySpan<byte> labels, int count, float learningRate)
    {
        Ensure(ref _logits, count * Out);
        Ensure(ref _dz, count * Out);
        Logits(images, count, _logits);
        var result = _loss.ForwardBackward(_logits, labels, count, _dz);

        // W -= η · Σᵢ dzᵢ ⊗ xᵢ and b -= η · Σᵢ dzᵢ (dz already carries the 1/count of the mean).
        for (int i = 0; i < count; i++)
        {
            var x = images.Slice(i * In, In);
            for (int k = 0; k < Out; k++)
            {
                float step = -learningRate * _dz[i * Out + k];
                var row = _w.AsSpan(k * In, In);
                TensorPrimitives.MultiplyAdd(x, step, row, row);
                _b[k] += step;
            }
        }
        return result;
    }

    internal static void Ensure(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
    }
}

/// <summary>
/// A network with one hidden layer: 784 → 100 (ReLU) → 10, written by hand as dense layers with
/// their backpropagation; only the loss's gradient ∂L/∂z comes from the generator. SGD with momentum.
/// </summary>
public sealed class Mlp : IClassifier
{
    private const int In = Dataset.Pixels;
    private const int Out = Dataset.Classes;

    private readonly int _hidden;
    private readonly float _momentum;
    private readonly LossLayer _loss;
    private readonly float[] _w1, _b1, _w2, _b2;        // parameters
    private readonly float[] _gw1, _gb1, _gw2, _gb2;    // gradients of one minibatch
    private readonly float[] _vw1, _vb1, _vw2, _vb2;    // momentum
    private float[] _h = Array.Empty<float>(), _logits = Array.Empty<float>(), _dz = Array.Empty<float>(), _dh = Array.Empty<float>();

    public Mlp(int hidden = 100, float momentum = 0.9f, int seed = 1, LossKernel kernel = LossKernel.Batch)
    {
        _loss = new LossLayer(kernel);
        _hidden = hidden;
        _momentum = momentum;
        var random = new Random(seed);
        _w1 = Gaussian(random, hidden * In, MathF.Sqrt(2f / In));      // He initialization for ReLU
        _w2 = Gaussian(random, Out * hidden, MathF.Sqrt(1f / hidden)); // Xavier for the logits
        _b1 = new float[hidden];
        _b2 = new float[Out];
        _gw1 = new float[_w1.Length]; _gb1 = new float[hidden]; _gw2 = new float[_w2.Length]; _gb2 = new float[Out];
        _vw1 = new float[_w1.Length]; _vb1 = new float[hidden]; _vw2 = new float[_w2.Length]; _vb2 = new float[Out];
    }

    public string Name => $"one hidden layer (784 → {_hidden} ReLU → 10)";

    public int ParameterCount => _w1.Length + _b1.Length + _w2.Length + _b2.Length;

    public void Logits(ReadOnlySpan<float> images, int count, Span<float> logits)
    {
        SoftmaxRegression.Ensure(ref _h, count * _hidden);
        Forward(images, count, _h, logits);
    }

    private void Forward(ReadOnlySpan<float> images, int count, Span<float> h, Span<float> logits)
    {
        for (int i = 0; i < count; i++)
        {
            var x = images.Slice(i * In, In);
            var hi = h.Slice(i * _hidden, _hidden);
            for (int j = 0; j < _hidden; j++)
            {
                float a = TensorPrimitives.Dot(_w1.AsSpan(j * In, In), x) + _b1[j];
                hi[j] = a > 0 ? a : 0;
            }
            for (int k = 0; k < Out; k++) logits[i * Out + k] = TensorPrimitives.Dot(_w2.AsSpan(k * _hidden, _hidden), hi) + _b2[k];
        }
    }

    public (double LossSum, int Correct) TrainStep(ReadOnlySpan<float> images, ReadOnlySpan<byte> labels, int count, float learningRate)
    {
        SoftmaxRegression.Ensure(ref _h, count * _hidden);
        SoftmaxRegression.Ensure(ref _logits, count * Out);
        SoftmaxRegression.Ensure(ref _dz, count * Out);
        SoftmaxRegression.Ensure(ref _dh, _hidden);
        Forward(images, count, _h, _logits);
        var result = _loss.ForwardBackward(_logits, labels, count, _dz);

        Array.Clear(_gw1); Array.Clear(_gb1); Array.Clear(_gw2); Array.Clear(_gb2);
        for (int i = 0; i < count; i++)
        {
            var x = images.Slice(i * In, In);
            var hi = _h.AsSpan(i * _hidden, _hidden);
            var dz = _dz.AsSpan(i * Out, Out);

            // Output layer: ∂L/∂W2 += dz ⊗ h, ∂L/∂b2 += dz, and ∂L/∂h = W2ᵀ·dz.
            var dh = _dh.AsSpan(0, _hidden);
            dh.Clear();
            for (int k = 0; k < Out; k++)
            {
                var g = _gw2.AsSpan(k * _hidden, _hidden);
                TensorPrimitives.MultiplyAdd(hi, dz[k], g, g);
                _gb2[k] += dz[k];
                TensorPrimitives.MultiplyAdd(_w2.AsSpan(k * _hidden, _hidden), dz[k], dh, dh);
            }

            // Hidden layer through the ReLU: ∂L/∂W1 += (dh ⊙ [h > 0]) ⊗ x.
            for (int j = 0; j < _hidden; j++)
            {
                if (hi[j] <= 0) continue;
                var g = _gw1.AsSpan(j * In, In);
                TensorPrimitives.MultiplyAdd(x, dh[j], g, g);
                _gb1[j] += dh[j];
            }
        }

        Update(_w1, _vw1, _gw1, learningRate);
        Update(_b1, _vb1, _gb1, learningRate);
        Update(_w2, _vw2, _gw2, learningRate);
        Update(_b2, _vb2, _gb2, learningRate);
        return result;
    }

    /// <summary>v = μ·v − η·g; p += v.</summary>
    private void Update(float[] p, float[] v, float[] g, float learningRate)
    {
        TensorPrimitives.Multiply(v, _momentum, v);
        TensorPrimitives.MultiplyAdd(g, -learningRate, v, v);
        TensorPrimitives.Add(p, v, p);
    }

    private static float[] Gaussian(Random random, int length, float scale)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            // Box-Muller.
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            values[i] = scale * (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return values;
    }
}
