using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace AutoGrad.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project tests/AutoGrad.Benchmarks -- --filter '*'</c>
/// (or <c>--filter '*Bce*'</c>, <c>'*Softmax*'</c>; <c>--list flat</c> lists them).
/// </summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, CreateConfig());

    /// <summary>
    /// One job, chosen so that numbers are comparable between processes and between kernels
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
    /// (16 cases) to a few minutes; raise LaunchCount to see process-to-process spread.
    /// </summary>
    public static IConfig CreateConfig()
    {
        Job job = Job.Default
            .WithEnvironmentVariables(
                new EnvironmentVariable("DOTNET_TieredCompilation", "0"),
                new EnvironmentVariable("DOTNET_TieredPGO", "0"),
                new EnvironmentVariable("DOTNET_ReadyToRun", "0"))
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("FullOpt-NoPGO")
            .AsDefault();
        return ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .HideColumns(Column.EnvironmentVariables)
            // The median and minimum are less sensitive than the mean to other processes on a 2-core box.
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min)
            .WithSummaryStyle(SummaryStyleDefaults());
    }

    private static BenchmarkDotNet.Reports.SummaryStyle SummaryStyleDefaults() =>
        BenchmarkDotNet.Reports.SummaryStyle.Default.WithTimeUnit(TimeUnit.Millisecond);
}
