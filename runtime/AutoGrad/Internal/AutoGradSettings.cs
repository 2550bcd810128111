using System;
using System.Globalization;
using System.Threading;

namespace AutoGrad;

/// <summary>
/// Process-wide settings of the generated batch kernels (<c>MForward</c>, <c>MBackward</c>, <c>MForwardBackward</c>).
/// </summary>
/// <remarks>
/// <para>
/// A batch of at least <see cref="ParallelThreshold"/> elements (examples × classes) is split across up to
/// <see cref="MaxDegreeOfParallelism"/> cores. The split is into fixed chunks of 16384 elements (whole examples),
/// whose boundaries depend only on the batch's shape, and the chunks' loss sums are added in chunk order: results
/// are bitwise identical whatever these settings and the number of cores.
/// </para>
/// <para>
/// The initial value of <see cref="MaxDegreeOfParallelism"/> is read from the environment variable
/// <c>AUTOGRAD_MAX_DEGREE_OF_PARALLELISM</c>, else from the runtime configuration option
/// <c>AutoGrad.MaxDegreeOfParallelism</c> (<c>&lt;RuntimeHostConfigurationOption&gt;</c> in the project file, or
/// <c>runtimeconfig.json</c>), else it is <see cref="Environment.ProcessorCount"/>.
/// </para>
/// </remarks>
public static class AutoGradSettings
{
    /// <summary>The default of <see cref="ParallelThreshold"/>: 65536 elements.</summary>
    public const long DefaultParallelThreshold = 1 << 16;

    /// <summary>The environment variable that sets the initial <see cref="MaxDegreeOfParallelism"/>.</summary>
    public const string MaxDegreeOfParallelismVariable = "AUTOGRAD_MAX_DEGREE_OF_PARALLELISM";

    /// <summary>The runtime configuration option that sets the initial <see cref="MaxDegreeOfParallelism"/>.</summary>
    public const string MaxDegreeOfParallelismOption = "AutoGrad.MaxDegreeOfParallelism";

    private static int s_maxDegreeOfParallelism = InitialDegreeOfParallelism();
    private static long s_parallelThreshold = DefaultParallelThreshold;

    /// <summary>
    /// The most cores one batch-kernel call uses; 1 keeps every call on the calling thread.
    /// Default: <see cref="Environment.ProcessorCount"/> (see the remarks for how to set it from outside).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref s_maxDegreeOfParallelism);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref s_maxDegreeOfParallelism, value);
        }
    }

    /// <summary>
    /// The number of elements (examples × classes) below which a batch-kernel call stays on the calling thread.
    /// Default: <see cref="DefaultParallelThreshold"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public static long ParallelThreshold
    {
        get => Volatile.Read(ref s_parallelThreshold);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref s_parallelThreshold, value);
        }
    }

    /// <summary>The number of threads a call over <paramref name="elements"/> elements in <paramref name="chunks"/> chunks uses.</summary>
    internal static int DegreeOfParallelismFor(long elements, int chunks)
    {
        int max = MaxDegreeOfParallelism;
        if (max <= 1 || chunks <= 1 || elements < ParallelThreshold)
        {
            return 1;
        }

        return Math.Min(max, chunks);
    }

    private static int InitialDegreeOfParallelism()
    {
        if (Parse(Environment.GetEnvironmentVariable(MaxDegreeOfParallelismVariable)) is int fromEnvironment)
        {
            return fromEnvironment;
        }

        if (Parse(AppContext.GetData(MaxDegreeOfParallelismOption)?.ToString()) is int fromConfiguration)
        {
            return fromConfiguration;
        }

        return Math.Max(1, Environment.ProcessorCount);
    }

    private static int? Parse(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 1 ? value : null;
}
