using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace AutoGrad.Samples.FashionMnist;

/// <summary>How to train: epochs, minibatch size, learning rate (decayed linearly to <see cref="FinalLearningRateFraction"/> of itself), shuffling seed.</summary>
public sealed record TrainingOptions(int Epochs, int BatchSize, float LearningRate, float FinalLearningRateFraction = 1f, int Seed = 42);

/// <summary>One line of progress: the epoch's mean training loss and accuracy (before each step), the test accuracy after it, and the speed.</summary>
public sealed record EpochReport(int Epoch, double TrainLoss, double TrainAccuracy, double TestAccuracy, double ExamplesPerSecond, TimeSpan Elapsed);

/// <summary>Everything a training run measured.</summary>
public sealed record TrainingResult(string Model, IReadOnlyList<EpochReport> Epochs, double TestAccuracy, TimeSpan Elapsed);

/// <summary>Minibatch SGD over shuffled training data, with a progress line per epoch.</summary>
public static class Trainer
{
    public static TrainingResult Train(IClassifier model, FashionMnistData data, TrainingOptions options, TextWriter? progress)
    {
        var train = data.Train;
        var random = new Random(options.Seed);
        var order = new int[train.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var images = new float[options.BatchSize * Dataset.Pixels];
        var labels = new byte[options.BatchSize];
        var reports = new List<EpochReport>();
        var total = Stopwatch.StartNew();
        int steps = options.Epochs * ((train.Count + options.BatchSize - 1) / options.BatchSize);
        int step = 0;

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            random.Shuffle(order);
            double lossSum = 0;
            int correct = 0;
            for (int start = 0; start < train.Count; start += options.BatchSize)
            {
                int count = Math.Min(options.BatchSize, train.Count - start);
                for (int i = 0; i < count; i++)
                {
                    int e = order[start + i];
                    train.Image(e).CopyTo(images.AsSpan(i * Dataset.Pixels, Dataset.Pixels));
                    labels[i] = train.Labels[e];
                }
                float progressFraction = (float)step++ / steps;
                float rate = options.LearningRate * (1 - (1 - options.FinalLearningRateFraction) * progressFraction);
                var (loss, right) = model.TrainStep(images, labels, count, rate);
                lossSum += loss;
                correct += right;
            }
            clock.Stop();
            double testAccuracy = Accuracy(model, data.Test);
            var report = new EpochReport(epoch, lossSum / train.Count, (double)correct / train.Count, testAccuracy,
                train.Count / clock.Elapsed.TotalSeconds, clock.Elapsed);
            reports.Add(report);
            progress?.WriteLine(
                $"  epoch {epoch,2}/{options.Epochs}   loss {report.TrainLoss:F4}   train accuracy {report.TrainAccuracy:F4}   " +
                $"test accuracy {report.TestAccuracy:F4}   {report.ExamplesPerSecond,9:N0} examples/s   ({report.Elapsed.TotalSeconds:F1} s)");
        }
        return new TrainingResult(model.Name, reports, reports[^1].TestAccuracy, total.Elapsed);
    }

    /// <summary>The fraction of <paramref name="data"/> whose largest logit is the label.</summary>
    public static double Accuracy(IClassifier model, Dataset data)
    {
        const int Batch = 500;
        var logits = new float[Batch * Dataset.Classes];
        int correct = 0;
        for (int start = 0; start < data.Count; start += Batch)
        {
            int count = Math.Min(Batch, data.Count - start);
            model.Logits(data.Images.AsSpan(start * Dataset.Pixels, count * Dataset.Pixels), count, logits);
            for (int i = 0; i < count; i++)
            {
                if (LossLayer.ArgMax(logits.AsSpan(i * Dataset.Classes, Dataset.Classes)) == data.Labels[start + i]) correct++;
            }
        }
        return (double)correct / data.Count;
    }
}
