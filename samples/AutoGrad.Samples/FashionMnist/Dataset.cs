using System;
using System.IO;
using System.Linq;

namespace AutoGrad.Samples.FashionMnist;

/// <summary>Images as floats in [0, 1] (row-major, 784 per image) and their labels.</summary>
public sealed class Dataset
{
    public const int Pixels = 28 * 28;
    public const int Classes = 10;

    public Dataset(float[] images, byte[] labels)
    {
        if (images.Length != labels.Length * Pixels) throw new ArgumentException("images and labels do not match");
        Images = images;
        Labels = labels;
    }

    public float[] Images { get; }

    public byte[] Labels { get; }

    public int Count => Labels.Length;

    public ReadOnlySpan<float> Image(int i) => Images.AsSpan(i * Pixels, Pixels);

    /// <summary>The first <paramref name="count"/> examples (for quick runs).</summary>
    public Dataset Take(int count) => count >= Count ? this : new Dataset(Images.AsSpan(0, count * Pixels).ToArray(), Labels.AsSpan(0, count).ToArray());
}

/// <summary>Fashion-MNIST: 60,000 training and 10,000 test images of clothing in ten classes, 28×28 grey levels.</summary>
public sealed record FashionMnistData(Dataset Train, Dataset Test)
{
    /// <summary>Where the Debian package dataset-fashion-mnist installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    public const string Package = "dataset-fashion-mnist";

    public static readonly string[] ClassNames =
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    };

    private static readonly string[] Files =
    {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    };

    /// <summary>The path of each of the four files in <paramref name="directory"/> (gzipped or not), or null where missing.</summary>
    public static string?[] Locate(string directory) => Files
        .Select(f => new[] { f + ".gz", f }.Select(n => Path.Combine(directory, n)).FirstOrDefault(File.Exists))
        .ToArray();

    /// <summary>True when all four files are in <paramref name="directory"/>.</summary>
    public static bool IsAvailable(string directory) => Locate(directory).All(p => p is not null);

    /// <summary>What to do when the files are missing.</summary>
    public static string MissingMessage(string directory)
    {
        var missing = Files.Where((f, i) => Locate(directory)[i] is null).Select(f => f + ".gz");
        return $"""
            Fashion-MNIST was not found in {directory} (missing: {string.Join(", ", missing)}).
            On Debian or Ubuntu install it with:
                sudo apt-get install {Package}
            which puts the four files in {DefaultDirectory}. Or download them from
            https://github.com/zalandoresearch/fashion-mnist (data/fashion) and pass their directory:
                dotnet run --project samples/AutoGrad.Samples -- fashion-mnist DIR
            """;
    }

    /// <summary>Reads the four IDX files; throws <see cref="SampleException"/> saying what to install when they are missing.</summary>
    public static FashionMnistData Load(string directory)
    {
        var paths = Locate(directory);
        if (paths.Any(p => p is null)) throw new SampleException(MissingMessage(directory));
        return new FashionMnistData(Read(paths[0]!, paths[1]!), Read(paths[2]!, paths[3]!));
    }

    private static Dataset Read(string imagesPath, string labelsPath)
    {
        var pixels = Idx.ReadImages(imagesPath, out int count, out int rows, out int columns);
        var labels = Idx.ReadLabels(labelsPath, out int labelCount);
        if (rows * columns != Dataset.Pixels) throw new InvalidDataException($"{imagesPath}: images are {rows}×{columns}, expected 28×28.");
        if (labelCount != count) throw new InvalidDataException($"{labelsPath} has {labelCount} labels for {count} images.");
        if (labels.Any(l => l >= Dataset.Classes)) throw new InvalidDataException($"{labelsPath} has a label outside 0-9.");
        var images = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) images[i] = pixels[i] * (1f / 255f);
        return new Dataset(images, labels);
    }
}
