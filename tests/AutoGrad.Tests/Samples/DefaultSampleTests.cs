using System;
using System.IO;
using System.Linq;
using AutoGrad.Samples;
using AutoGrad.Samples.Sections;

namespace AutoGrad.Tests.Samples;

/// <summary>
/// The default sample (what <c>dotnet run --project samples/AutoGrad.Samples</c> prints) run in-process:
/// its published numbers, its derivations, and the plot it writes.
/// </summary>
public sealed class DefaultSampleTests : IDisposable
{
    private readonly string _outputDirectory = Path.Combine(Path.GetTempPath(), "autograd-samples-" + Guid.NewGuid().ToString("N"));
    private readonly Lazy<string> _printed;

    public DefaultSampleTests()
    {
        _printed = new Lazy<string>(() =>
        {
            var output = new StringWriter { NewLine = "\n" };
            var error = new StringWriter();
            int exit = SampleProgram.Run(new[] { "--out", _outputDirectory }, output, error);
            Assert.True(exit == 0, "the sample failed: " + error);
            return output.ToString();
        });
    }

    private string Printed => _printed.Value;

    public void Dispose()
    {
        if (Directory.Exists(_outputDirectory)) Directory.Delete(_outputDirectory, recursive: true);
    }

    [Fact]
    public void Prints_the_four_sections()
    {
        Assert.Contains("1. The derivations", Printed);
        Assert.Contains("2. The worked example", Printed);
        Assert.Contains("3. The learning slowdown", Printed);
        Assert.Contains("4. Derived against hand-written", Printed);
    }

    [Fact]
    public void Prints_the_derived_closed_forms()
    {
        Assert.Contains("derived    ∂L/∂z = Sigmoid(z) - y", Printed);
        Assert.Contains("derived    ∂L/∂z = Softmax(z) - y", Printed);
        Assert.Contains("derived    ∂L/∂z = Softmax(z) * Sum(y) - y", Printed);
        Assert.Contains("derived    ∂L/∂w = x * (Sigmoid(b + w * x) - y)", Printed);
        Assert.Contains("derived    ∂L/∂b = Sigmoid(b + w * x) - y", Printed);
    }

    [Fact]
    public void The_worked_example_has_equal_losses_of_2_303_and_different_gradients()
    {
        Assert.Contains("[0.1 0.5 0.1 0.1 0.2]      2.303   [-0.9 0.5 0.1 0.1 0.2]", Printed);
        Assert.Contains("[0.1 0.6 0.1 0.1 0.1]      2.303   [-0.9 0.6 0.1 0.1 0.1]", Printed);

        var (loss1, gradient1) = WorkedExample.At(WorkedExample.First);
        var (loss2, gradient2) = WorkedExample.At(WorkedExample.Second);
        Assert.Equal(-Math.Log(0.1), loss1, 12);
        Assert.Equal(-Math.Log(0.1), loss2, 12);
        Assert.Equal(new[] { -0.9, 0.5, 0.1, 0.1, 0.2 }, gradient1.ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(new[] { -0.9, 0.6, 0.1, 0.1, 0.1 }, gradient2.ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void The_quadratic_cost_lands_at_the_published_0_09_and_0_20()
    {
        Assert.Contains("After 300 epochs the quadratic cost leaves the output at 0.09 and 0.20 (published: 0.09 and 0.20)", Printed);

        var runs = LearningSlowdown.Train();
        Assert.Equal(4, runs.Count);
        Assert.Equal(0.82, runs[0].Outputs[0], 2);
        Assert.Equal(0.98, runs[2].Outputs[0], 2);
        Assert.Equal(0.09, Math.Round(runs[0].FinalOutput, 2));
        Assert.Equal(0.20, Math.Round(runs[2].FinalOutput, 2));
        // Cross-entropy learns far faster from both starts.
        Assert.True(runs[1].FinalOutput < 0.02, $"cross-entropy from (0.6, 0.9) ended at {runs[1].FinalOutput}");
        Assert.True(runs[3].FinalOutput < 0.02, $"cross-entropy from (2, 2) ended at {runs[3].FinalOutput}");
        // The slowdown: from w = b = 2 the quadratic cost has barely moved after 100 epochs.
        Assert.True(runs[2].Outputs[100] > 0.95, $"quadratic from (2, 2) at epoch 100: {runs[2].Outputs[100]}");
    }

    [Fact]
    public void Prints_a_table_every_50_epochs()
    {
        foreach (int epoch in Enumerable.Range(0, 7).Select(i => i * 50))
        {
            Assert.Matches($@"(?m)^\s+{epoch}\s+0\.\d\d\s+0\.\d\d\s+0\.\d\d\s+0\.\d\d$", Printed);
        }
    }

    [Fact]
    public void Writes_the_plot_it_names_and_the_committed_copy_is_current()
    {
        string path = Path.Combine(_outputDirectory, "learning-slowdown.svg");
        Assert.Contains(Path.GetFullPath(path), Printed);
        string svg = File.ReadAllText(path);
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg);
        Assert.Equal(4, svg.Split("<polyline points=\"").Length - 1 - 2); // four runs, plus one axis per panel

        var docs = Path.Combine(RepositoryRoot(), "docs", "learning-slowdown.svg");
        Assert.True(File.Exists(docs), "docs/learning-slowdown.svg is missing; copy the sample's output there.");
        Assert.True(File.ReadAllText(docs) == svg,
            $"docs/learning-slowdown.svg differs from what the sample writes now; copy {path} over it.");
    }

    [Fact]
    public void Every_hand_written_gradient_matches_and_passes_GradCheck()
    {
        var rows = HandWritten.Compare();
        Assert.Equal(8, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.True(row.MaxDifference < 1e-12, $"{row.Loss} ∂L/∂{row.Parameter}: derived and hand-written differ by {row.MaxDifference}");
            Assert.True(row.Check.Passed, $"{row.Loss}: GradCheck failed ({row.Check})");
        });
        Assert.DoesNotContain("FAILED", Printed);
    }

    [Fact]
    public void The_written_forms_it_prints_are_the_bodies_in_SeedLosses_cs()
    {
        string source = File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "AutoGrad.Samples", "SeedLosses.cs"));
        foreach (var entry in Derivations.Entries)
        {
            // A block body is printed as "<returned>, where a = <local>".
            foreach (var part in entry.Written.Split(", where a = "))
            {
                Assert.Contains(part, source);
            }
        }
    }

    [Fact]
    public void Runs_in_well_under_a_minute()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _ = Printed;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the default sample took {clock.Elapsed}");
    }

    [Fact]
    public void Unknown_arguments_print_the_usage()
    {
        var error = new StringWriter();
        Assert.Equal(2, SampleProgram.Run(new[] { "--nonsense" }, TextWriter.Null, error));
        Assert.Contains("Usage:", error.ToString());
    }

    internal static string RepositoryRoot()
    {
        var project = SampleProgram.ProjectDirectory
            ?? throw new InvalidOperationException("The samples project directory is not known; build from the repository.");
        return Path.GetFullPath(Path.Combine(project, "..", ".."));
    }
}
