using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace AutoGrad.Samples.FashionMnist;

/// <summary>
/// <c>fashion-mnist [DIR] [--model logistic|mlp|both] [--epochs N]</c>: softmax regression and a
/// one-hidden-layer network on Fashion-MNIST, trained with the generated softmax cross-entropy gradient.
/// </summary>
public static class FashionMnistCommand
{
    /// <summary>Published test accuracy of logistic regression on Fashion-MNIST (the dataset's benchmark, scikit-learn LogisticRegression).</summary>
    public const double PublishedLogisticBaseline = 0.842;

    /// <summary>Softmax regression: a few epochs reach the published baseline.</summary>
    public static TrainingOptions LogisticOptions(int? epochs = null) => new(epochs ?? 5, BatchSize: 32, LearningRate: 0.4f, FinalLearningRateFraction: 0f);

    /// <summary>The network: SGD with momentum 0.9.</summary>
    public static TrainingOptions MlpOptions(int? epochs = null) => new(epochs ?? 8, BatchSize: 64, LearningRate: 0.05f, FinalLearningRateFraction: 0f);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string directory = FashionMnistData.DefaultDirectory;
        string model = "both";
        int? epochs = null;
        int? batch = null;
        float? rate = null;
        int? seed = null;
        var kernel = LossKernel.Batch;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--model" when i + 1 < args.Length && args[i + 1] is "logistic" or "mlp" or "both":
                    model = args[++i];
                    break;
                case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0:
                    epochs = n;
                    i++;
                    break;
                case "--batch" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int b) && b > 0:
                    batch = b;
                    i++;
                    break;
                case "--learning-rate" when i + 1 < args.Length && float.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out float r) && r > 0:
                    rate = r;
                    i++;
                    break;
                case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int s):
                    seed = s;
                    i++;
                    break;
                case "--per-example":
                    kernel = LossKernel.PerExample;
                    break;
                case var a when !a.StartsWith("--", StringComparison.Ordinal) && i == 0:
                    directory = a;
                    break;
                default:
                    error.WriteLine($"Unknown or incomplete argument '{args[i]}'.");
                    error.WriteLine(SampleProgram.Usage);
                    return 2;
            }
        }

        var clock = Stopwatch.StartNew();
        var data = FashionMnistData.Load(directory);
        output.WriteLine("Fashion-MNIST with the generated softmax cross-entropy gradient");
        output.WriteLine("===============================================================");
        output.WriteLine($"Read {data.Train.Count:N0} training and {data.Test.Count:N0} test images from {directory} in {clock.Elapsed.TotalSeconds:F1} s.");
        string gradient = SeedLosses.SoftmaxCrossEntropyDerivation.Gradients["z"];
        output.WriteLine(kernel == LossKernel.Batch
            ? $"The loss is SeedLosses.SoftmaxCrossEntropy: the generated batch kernel SoftmaxCrossEntropyForwardBackward computes\n"
              + $"the mean loss and ∂L/∂z = ({gradient}) / N of each minibatch in one SIMD pass over float spans."
            : $"The loss is SeedLosses.SoftmaxCrossEntropy, called per example, with the generated SoftmaxCrossEntropyGradient = {gradient}.");
        output.WriteLine("The dense layers and their backpropagation are hand-written float code.");

        if (model is "logistic" or "both")
        {
            var options = With(LogisticOptions(epochs), batch, rate, seed);
            var result = Train(new SoftmaxRegression(kernel), data, options, output);
            output.WriteLine($"Test accuracy {result.TestAccuracy:F4} (published logistic-regression baseline {PublishedLogisticBaseline:F3}).");
        }
        if (model is "mlp" or "both")
        {
            var options = With(MlpOptions(epochs), batch, rate, seed);
            var result = Train(new Mlp(seed: options.Seed, kernel: kernel), data, options, output);
            output.WriteLine($"Test accuracy {result.TestAccuracy:F4}.");
        }
        output.WriteLine();
        output.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");
        return 0;
    }

    private static TrainingOptions With(TrainingOptions options, int? batch, float? rate, int? seed) =>
        options with { BatchSize = batch ?? options.BatchSize, LearningRate = rate ?? options.LearningRate, Seed = seed ?? options.Seed };

    private static TrainingResult Train(IClassifier model, FashionMnistData data, TrainingOptions options, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{model.Name}: {model.ParameterCount:N0} parameters; minibatch SGD, {options.Epochs} epochs of batches of {options.BatchSize}, " +
            $"learning rate {options.LearningRate} decayed linearly to {options.LearningRate * options.FinalLearningRateFraction:0.####}");
        return Trainer.Train(model, data, options, output);
    }
}
