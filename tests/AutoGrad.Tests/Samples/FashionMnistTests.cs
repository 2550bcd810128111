using System;
using System.IO;
using System.IO.Compression;
using AutoGrad.Samples;
using AutoGrad.Samples.FashionMnist;

namespace AutoGrad.Tests.Samples;

/// <summary>Runs only when Fashion-MNIST is installed (.ci/setup-data installs it), and says so when it is not.</summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (!FashionMnistData.IsAvailable(FashionMnistData.DefaultDirectory))
        {
            Skip = $"Fashion-MNIST is not installed in {FashionMnistData.DefaultDirectory}: run .ci/setup-data "
                + $"(or apt-get install {FashionMnistData.Package}) to train on the real data.";
        }
    }
}

/// <summary>The data, read once for every training test.</summary>
public sealed class FashionMnistFixture
{
    private readonly Lazy<FashionMnistData> _data = new(() => FashionMnistData.Load(FashionMnistData.DefaultDirectory));

    public FashionMnistData Data => _data.Value;
}

/// <summary>Training on the real Fashion-MNIST with the generated softmax cross-entropy gradient: the accuracy bars.</summary>
[Trait("Category", "FashionMnist")]
public sealed class FashionMnistTrainingTests(FashionMnistFixture fixture) : IClassFixture<FashionMnistFixture>
{
    [FashionMnistFact]
    public void The_data_has_the_published_shape()
    {
        Assert.Equal(60_000, fixture.Data.Train.Count);
        Assert.Equal(10_000, fixture.Data.Test.Count);
        Assert.Equal(60_000 * 784, fixture.Data.Train.Images.Length);
        var counts = new int[10];
        foreach (var label in fixture.Data.Test.Labels) counts[label]++;
        Assert.All(counts, c => Assert.Equal(1_000, c)); // 1,000 test images per class
    }

    [FashionMnistFact]
    public void Softmax_regression_reaches_the_published_baseline_in_five_epochs()
    {
        var result = Trainer.Train(new SoftmaxRegression(), fixture.Data, FashionMnistCommand.LogisticOptions(epochs: 5), progress: null);
        Assert.True(result.TestAccuracy >= 0.84, $"test accuracy {result.TestAccuracy:F4} < 0.84 (published baseline 0.842)");
    }

    [FashionMnistFact]
    public void The_one_hidden_layer_network_reaches_0_87_in_six_epochs()
    {
        var options = FashionMnistCommand.MlpOptions(epochs: 6);
        var result = Trainer.Train(new Mlp(seed: options.Seed), fixture.Data, options, progress: null);
        Assert.True(result.TestAccuracy >= 0.87, $"test accuracy {result.TestAccuracy:F4} < 0.87");
    }
}

/// <summary>The IDX reader and the missing-data message, on small files of our own.</summary>
public sealed class IdxTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autograd-idx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, byte[] bytes, bool gzip)
    {
        string path = Path.Combine(_directory, name + (gzip ? ".gz" : ""));
        using var file = File.Create(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        stream.Write(bytes);
        return path;
    }

    private static byte[] Header(params int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reads_images_and_labels(bool gzip)
    {
        var images = Write("images", [.. Header(Idx.ImagesMagic, 2, 2, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], gzip);
        var labels = Write("labels", [.. Header(Idx.LabelsMagic, 2), 7, 3], gzip);

        var pixels = Idx.ReadImages(images, out int count, out int rows, out int columns);
        Assert.Equal((2, 2, 3), (count, rows, columns));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, pixels);
        Assert.Equal(new byte[] { 7, 3 }, Idx.ReadLabels(labels, out int labelCount));
        Assert.Equal(2, labelCount);
    }

    [Fact]
    public void Rejects_a_wrong_magic_number_and_a_short_file()
    {
        var labels = Write("labels", [.. Header(Idx.LabelsMagic, 2), 7, 3], gzip: true);
        Assert.Throws<InvalidDataException>(() => Idx.ReadImages(labels, out _, out _, out _));
        var truncated = Write("short", [.. Header(Idx.LabelsMagic, 5), 1], gzip: true);
        var ex = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(truncated, out _));
        Assert.Contains("ends before", ex.Message);
    }

    [Fact]
    public void Missing_files_say_what_to_install()
    {
        var ex = Assert.Throws<SampleException>(() => FashionMnistData.Load(_directory));
        Assert.Contains("apt-get install dataset-fashion-mnist", ex.Message);
        Assert.Contains("train-images-idx3-ubyte.gz", ex.Message);

        var error = new StringWriter();
        Assert.Equal(1, SampleProgram.Run(new[] { "fashion-mnist", _directory }, TextWriter.Null, error));
        Assert.Contains("apt-get install dataset-fashion-mnist", error.ToString());
    }
}

/// <summary>The two generated paths to ∂L/∂z, the batch kernel and the one-example gradient, agree.</summary>
public sealed class LossLayerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public void The_batch_kernel_and_the_per_example_gradient_agree(int count)
    {
        var random = new Random(count);
        var logits = new float[count * Dataset.Classes];
        var labels = new byte[count];
        for (int i = 0; i < logits.Length; i++) logits[i] = (float)(random.NextDouble() * 16 - 8);
        for (int i = 0; i < count; i++) labels[i] = (byte)random.Next(Dataset.Classes);

        var batchDz = new float[logits.Length];
        var exampleDz = new float[logits.Length];
        var batch = new LossLayer(LossKernel.Batch).ForwardBackward(logits, labels, count, batchDz);
        var perExample = new LossLayer(LossKernel.PerExample).ForwardBackward(logits, labels, count, exampleDz);

        Assert.Equal(perExample.Correct, batch.Correct);
        Assert.Equal(perExample.LossSum, batch.LossSum, 1e-4 * count);
        for (int i = 0; i < logits.Length; i++) Assert.Equal(exampleDz[i], batchDz[i], 1e-6f);
        // Each row of dz sums to zero (Softmax(z) - y with a one-hot y), and carries the mean's 1/count.
        for (int i = 0; i < count; i++)
        {
            float sum = 0;
            for (int k = 0; k < Dataset.Classes; k++) sum += batchDz[i * Dataset.Classes + k];
            Assert.Equal(0f, sum, 1e-6f);
            Assert.True(batchDz[i * Dataset.Classes + labels[i]] < 0);
            Assert.True(batchDz[i * Dataset.Classes + labels[i]] >= -1f / count);
        }
    }
}
