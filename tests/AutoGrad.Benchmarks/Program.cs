using System;
using System.Collections.Generic;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace AutoGrad.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project tests/AutoGrad.Benchmarks -- --filter '*'</c>
/// (or <c>--filter '*Bce*'</c>, <c>'*Softmax*'</c>; <c>--list flat</c> lists them). Our own option
/// <c>--isa native|avx2|both</c> (default native) picks the job: the CPU as it is, AVX-512 disabled
/// (<c>DOTNET_EnableAVX512=0</c>, to measure on an AVX-512 machine as on an AVX2-only CPU such as
/// Zen 3), or both side by side. Other BenchmarkDotNet options pass through; do not add <c>--job</c>: it would add a job
/// without the environment settings below.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        string isa = "native";
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--isa" && i + 1 < args.Length)
                isa = args[++i];
            else
                rest.Add(args[i]);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.ToArray(), CreateConfig(isa));
    }

    /// <summary>
    /// The job, chosen so that numbers are comparable between processes and between kernels
    /// measured in the same run:
    /// <list type="bullet">
    /// <item><c>DOTNET_TieredCompilation=0</c>: every method is compiled once, straight to fully
    /// optimized code. With tiering on, a kernel with a loop starts in tier-0/OSR code and is
    /// recompiled in the background after ~30 calls plus a delay; with multi-millisecond operations and
    /// few warmup iterations the measurement can straddle the switch.</item>
    /// <item><c>DOTNET_TieredPGO=0</c>: no dynamic PGO. Its profile (and so inlining, block layout,
    /// and guarded devirtualization) depends on what happened to run first in that process, which
    /// moved the same kernel by up to 4× between processes. Redundant with tiering off; kept
    /// explicit so the intent survives if someone turns tiering back on.</item>
    /// <item><c>DOTNET_ReadyToRun=0</c>: framework code (TensorPrimitives' inner loops,
    /// Vector256.Exp, BenchmarkDotNet's engine) is JIT-compiled for this CPU too instead of using the
    /// precompiled images, which with tiering off would never be rejitted.</item>
    /// </list>
    /// One launch, 3 warmup and 10 measured iterations of ≥250 ms each keep the whole suite
    /// (16 cases) to 2–3 minutes; raise LaunchCount to see process-to-process spread.
    /// </summary>
    public static IConfig CreateConfig(string isa = "native")
    {
        var common = new[]
        {
            new EnvironmentVariable("DOTNET_TieredCompilation", "0"),
            new EnvironmentVariable("DOTNET_TieredPGO", "0"),
            new EnvironmentVariable("DOTNET_ReadyToRun", "0"),
        };
        Job Make(string id, params EnvironmentVariable[] extra) => Job.Default
            .WithEnvironmentVariables([.. common, .. extra])
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId(id);

        if (isa is not ("native" or "avx2" or "both"))
            throw new ArgumentException($"--isa must be native, avx2 or both, not '{isa}'.");
        Job native = Make("FullOpt-NoPGO");
        Job avx2 = Make("FullOpt-NoPGO-AVX2", new EnvironmentVariable("DOTNET_EnableAVX512", "0"));
        // Not AsDefault(): BenchmarkDotNet applies a default job's characteristics on top of every
        // other job, which would erase the AVX2 job's extra variable.
        ManualConfig config = ManualConfig.Create(DefaultConfig.Instance);
        if (isa != "avx2")
            config.AddJob(native);
        if (isa != "native")
            config.AddJob(avx2);
        return config
            .HideColumns(Column.EnvironmentVariables)
            // The median and minimum are less sensitive than the mean to other processes on a 2-core box.
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min)
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Millisecond));
    }
}
