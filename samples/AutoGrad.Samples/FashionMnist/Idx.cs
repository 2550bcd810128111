using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace AutoGrad.Samples.FashionMnist;

/// <summary>
/// Reads the IDX files that MNIST and Fashion-MNIST ship in: a big-endian header (magic number
/// 0x00000803 for unsigned-byte images of rank 3, 0x00000801 for labels of rank 1, then one 32-bit
/// size per dimension) followed by the bytes. Files ending in .gz are decompressed on the fly.
/// </summary>
public static class Idx
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    /// <summary>The pixels of every image, row-major, one byte each (0 is background).</summary>
    public static byte[] ReadImages(string path, out int count, out int rows, out int columns)
    {
        using var stream = Open(path);
        var header = ReadExactly(stream, 16, path);
        CheckMagic(header, ImagesMagic, path);
        count = Dimension(header, 4, path);
        rows = Dimension(header, 8, path);
        columns = Dimension(header, 12, path);
        return ReadExactly(stream, checked(count * rows * columns), path);
    }

    /// <summary>One label (0 to 9) per image.</summary>
    public static byte[] ReadLabels(string path, out int count)
    {
        using var stream = Open(path);
        var header = ReadExactly(stream, 8, path);
        CheckMagic(header, LabelsMagic, path);
        count = Dimension(header, 4, path);
        return ReadExactly(stream, count, path);
    }

    private static Stream Open(string path)
    {
        Stream file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static void CheckMagic(byte[] header, int expected, string path)
    {
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expected)
        {
            throw new InvalidDataException($"{path} is not an IDX file of the expected kind: magic number 0x{magic:X8}, expected 0x{expected:X8}.");
        }
    }

    private static int Dimension(byte[] header, int offset, string path)
    {
        int size = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(offset));
        if (size <= 0) throw new InvalidDataException($"{path}: dimension {size} in the header is not positive.");
        return size;
    }

    private static byte[] ReadExactly(Stream stream, int length, string path)
    {
        var buffer = new byte[length];
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} ends before the {length} bytes its header announces.");
        }
        return buffer;
    }
}
