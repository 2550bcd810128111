using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace AutoGrad.Generator.Tests;

/// <summary>One run of the generator over a test compilation (see <see cref="GeneratorHarness.Run(string, string[])"/>).</summary>
/// <param name="Driver">The driver after the run; pass the run to <see cref="GeneratorHarness.RunAgain"/> to reuse its incremental state.</param>
/// <param name="InputCompilation">The compilation the generator saw (test sources only).</param>
/// <param name="OutputCompilation">The input plus every generated source.</param>
/// <param name="Result">The driver's run result (generated sources, diagnostics, tracked steps, exception).</param>
/// <param name="GeneratorDiagnostics">Diagnostics reported by the generator (and by the driver, e.g. CS8785 when the generator throws).</param>
public sealed record GeneratorRun(
    GeneratorDriver Driver,
    CSharpCompilation InputCompilation,
    Compilation OutputCompilation,
    GeneratorDriverRunResult Result,
    ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    private ImmutableSortedDictionary<string, string>? _generatedSources;
    private ImmutableArray<Diagnostic> _compilationDiagnostics;
    private Assembly? _loaded;
    private readonly object _loadLock = new();

    /// <summary>The generator's own result (the harness runs exactly one generator).</summary>
    public GeneratorRunResult GeneratorResult => Result.Results.Single();

    /// <summary>An exception the generator threw, if any (the driver turns it into CS8785).</summary>
    public Exception? GeneratorException => GeneratorResult.Exception;

    /// <summary>Generated sources, hint name (e.g. <c>Losses.g.cs</c>) to text, in ordinal order of hint name.</summary>
    public ImmutableSortedDictionary<string, string> GeneratedSources =>
        LazyInitializer.EnsureInitialized(ref _generatedSources, () =>
            GeneratorResult.GeneratedSources.ToImmutableSortedDictionary(
                s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal))!;

    /// <summary>Every non-hidden diagnostic of compiling <see cref="OutputCompilation"/> (computed on first use).</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics
    {
        get
        {
            if (_compilationDiagnostics.IsDefault)
            {
                var all = OutputCompilation.GetDiagnostics()
                    .Where(d => d.Severity != DiagnosticSeverity.Hidden)
                    .ToImmutableArray();
                ImmutableInterlocked.InterlockedInitialize(ref _compilationDiagnostics, all);
            }
            return _compilationDiagnostics;
        }
    }

    /// <summary>The errors among <see cref="CompilationDiagnostics"/>.</summary>
    public ImmutableArray<Diagnostic> CompilationErrors =>
        CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();

    /// <summary>
    /// The generated text for a hint name: exact (<c>Losses.g.cs</c>), without <c>.cs</c>, or a unique suffix
    /// (<c>BinaryCrossEntropy.g.cs</c> for <c>MyNs.Losses.BinaryCrossEntropy.g.cs</c>). Fails listing what was generated.
    /// </summary>
    public string GeneratedText(string hintName)
    {
        if (GeneratedSources.TryGetValue(hintName, out var text)) return text;
        if (GeneratedSources.TryGetValue(hintName + ".cs", out text)) return text;

        var bySuffix = GeneratedSources
            .Where(kv => kv.Key.EndsWith(hintName, StringComparison.Ordinal) || kv.Key.EndsWith(hintName + ".cs", StringComparison.Ordinal))
            .ToList();
        if (bySuffix.Count == 1) return bySuffix[0].Value;

        Assert.Fail($"No single generated source matches '{hintName}'. Generated: {DescribeHintNames()}.");
        return null!; // unreachable
    }

    /// <summary>The same run again on an edited input compilation; see <see cref="GeneratorHarness.RunAgain"/>.</summary>
    public GeneratorRun RunAgain(Func<Compilation, Compilation> edit) => GeneratorHarness.RunAgain(this, edit);

    /// <summary>The generator's diagnostics as text: id, file and line span, message.</summary>
    public List<string> DiagnosticLines() =>
        GeneratorDiagnostics.Select(d => d.Id + " " + d.Location.GetLineSpan() + " " + d.GetMessage(CultureInfo.InvariantCulture)).ToList();

    /// <summary>How this run's output (generated files, diagnostics with their positions) differs from <paramref name="other"/>'s, or null.</summary>
    public string? OutputDifference(GeneratorRun other)
    {
        if (!GeneratedSources.Keys.SequenceEqual(other.GeneratedSources.Keys))
            return $"generated files [{string.Join(", ", GeneratedSources.Keys)}] against [{string.Join(", ", other.GeneratedSources.Keys)}]";
        foreach (var (name, text) in other.GeneratedSources)
        {
            if (text != GeneratedSources[name]) return name + " differs";
        }
        var mine = DiagnosticLines();
        var theirs = other.DiagnosticLines();
        return mine.SequenceEqual(theirs) ? null : $"diagnostics\n  {string.Join("\n  ", mine)}\nagainst\n  {string.Join("\n  ", theirs)}";
    }

    // ---- assertions ------------------------------------------------------------------------------

    /// <summary>
    /// Fails if the generator threw, reported an error or an internal failure (AG9999, CS8784, CS8785),
    /// or if the output compilation has errors. The message lists every problem and then every generated file with line numbers.
    /// </summary>
    public void AssertNoErrors()
    {
        var problems = new List<string>();
        if (GeneratorException is { } ex)
            problems.Add($"generator threw: {ex}");

        foreach (var d in GeneratorDiagnostics.Where(IsGeneratorProblem))
            problems.Add("generator: " + Describe(d));
        foreach (var d in CompilationErrors)
            problems.Add("compile: " + Describe(d));

        if (problems.Count == 0) return;
        Assert.Fail($"{problems.Count} problem(s):{Environment.NewLine}  " +
                    string.Join(Environment.NewLine + "  ", problems) +
                    Environment.NewLine + Environment.NewLine + DumpGenerated());
    }

    /// <summary>
    /// Fails unless the generator reported exactly the given diagnostic ids (as a multiset, in any order),
    /// ignoring the compiler's own diagnostics. Returns the generator diagnostics in source order.
    /// </summary>
    public ImmutableArray<Diagnostic> AssertGeneratorDiagnostics(params string[] expectedIds)
    {
        var actual = GeneratorDiagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
        var actualIds = actual.Select(d => d.Id).OrderBy(i => i, StringComparer.Ordinal).ToArray();
        var expected = expectedIds.OrderBy(i => i, StringComparer.Ordinal).ToArray();
        if (!actualIds.SequenceEqual(expected, StringComparer.Ordinal))
        {
            Assert.Fail($"Expected generator diagnostics [{string.Join(", ", expected)}] but got [{string.Join(", ", actualIds)}]:" +
                        Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", actual.Select(Describe)));
        }
        return actual;
    }

    /// <summary>Fails unless the generator reported exactly one diagnostic and it has this id; returns it (check its location and message).</summary>
    public Diagnostic AssertSingleDiagnostic(string id) => AssertGeneratorDiagnostics(id)[0];

    // ---- loading ---------------------------------------------------------------------------------

    /// <summary>
    /// Emits <see cref="OutputCompilation"/> (with a portable PDB, so stack traces point into generated code)
    /// and loads it into its own collectible <see cref="AssemblyLoadContext"/>; the AutoGrad runtime resolves to the
    /// copy already loaded in the test process, so runtime types (<c>Vec</c>, <c>Derivation</c>) cast normally.
    /// Repeated calls return the same assembly. Fails with every emit error and the generated text.
    /// </summary>
    public Assembly Load()
    {
        if (_loaded is not null) return _loaded;
        lock (_loadLock)
        {
            if (_loaded is not null) return _loaded;

            using var pe = new MemoryStream();
            using var pdb = new MemoryStream();
            var emit = OutputCompilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
            if (!emit.Success)
            {
                var errors = emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(Describe);
                Assert.Fail("Emit failed:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors) +
                            Environment.NewLine + Environment.NewLine + DumpGenerated());
            }

            pe.Position = 0;
            pdb.Position = 0;
            var context = new GeneratedCodeLoadContext($"{GeneratorHarness.AssemblyName}#{Interlocked.Increment(ref s_loadCount)}");
            _loaded = context.LoadFromStream(pe, pdb);
            return _loaded;
        }
    }

    private static int s_loadCount;

    /// <summary>A short summary (records would otherwise print, and compute, every property).</summary>
    public override string ToString() =>
        $"GeneratorRun: {GeneratedSources.Count} generated source(s) [{DescribeHintNames()}], {GeneratorDiagnostics.Length} generator diagnostic(s)";

    // ---- incremental steps -----------------------------------------------------------------------

    /// <summary>
    /// One entry per output of every tracked step of this run (<c>TrackedSteps</c>, then <c>TrackedOutputSteps</c>),
    /// ordered by step name: what an incremental test asserts after <see cref="RunAgain"/>.
    /// </summary>
    public IReadOnlyList<(string StepName, IncrementalStepRunReason Reason)> TrackedStepReasons()
    {
        var list = new List<(string, IncrementalStepRunReason)>();
        foreach (var steps in new[] { GeneratorResult.TrackedSteps, GeneratorResult.TrackedOutputSteps })
        {
            foreach (var kv in steps.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                foreach (var step in kv.Value)
                    foreach (var output in step.Outputs)
                        list.Add((kv.Key, output.Reason));
        }
        return list;
    }

    /// <summary>The names of all tracked steps of this run (<c>TrackedSteps</c> and <c>TrackedOutputSteps</c>).</summary>
    public IReadOnlyList<string> TrackedStepNames() =>
        GeneratorResult.TrackedSteps.Keys.Concat(GeneratorResult.TrackedOutputSteps.Keys)
            .Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Fails unless the step <paramref name="stepName"/> was tracked in this run and every output of it has one of the
    /// <paramref name="allowed"/> reasons, e.g. <c>AssertStepReasons("Model", Cached, Unchanged)</c> after an unrelated edit.
    /// </summary>
    public void AssertStepReasons(string stepName, params IncrementalStepRunReason[] allowed)
    {
        if (!GeneratorResult.TrackedSteps.ContainsKey(stepName) && !GeneratorResult.TrackedOutputSteps.ContainsKey(stepName))
            Assert.Fail($"Step '{stepName}' was not tracked in this run. Tracked: [{string.Join(", ", TrackedStepNames())}].");

        var bad = TrackedStepReasons().Where(s => s.StepName == stepName && !allowed.Contains(s.Reason)).ToList();
        if (bad.Count > 0)
        {
            Assert.Fail($"Step '{stepName}': expected only [{string.Join(", ", allowed)}] but got " +
                        $"[{string.Join(", ", TrackedStepReasons().Where(s => s.StepName == stepName).Select(s => s.Reason))}]. " +
                        $"All steps: {string.Join("; ", TrackedStepReasons().Select(s => s.StepName + "=" + s.Reason))}");
        }
    }

    // ---- formatting ------------------------------------------------------------------------------

    /// <summary>Every generated source with line numbers, for failure messages.</summary>
    public string DumpGenerated()
    {
        if (GeneratedSources.Count == 0) return "(the generator produced no sources)";
        var sb = new StringBuilder();
        foreach (var (hint, text) in GeneratedSources)
        {
            sb.Append("// ---- ").Append(hint).AppendLine(" ----");
            var lines = text.Replace("\r\n", "\n").Split('\n');
            for (int i = 0; i < lines.Length; i++)
                sb.Append((i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(4)).Append("  ").AppendLine(lines[i]);
        }
        return sb.ToString();
    }

    /// <summary><c>path(line,col): severity ID: message</c> followed by the offending line.</summary>
    public static string Describe(Diagnostic d)
    {
        var text = d.ToString();
        if (d.Location.IsInSource && d.Location.SourceTree is { } tree)
        {
            var line = d.Location.GetLineSpan().StartLinePosition.Line;
            var lines = tree.GetText().Lines;
            if (line >= 0 && line < lines.Count)
                text += $"{Environment.NewLine}      | {lines[line].ToString().Trim()}";
        }
        return text;
    }

    private string DescribeHintNames() =>
        GeneratedSources.Count == 0 ? "nothing" : string.Join(", ", GeneratedSources.Keys);

    private static bool IsGeneratorProblem(Diagnostic d) =>
        d.Severity == DiagnosticSeverity.Error || d.Id is "AG9999" or "CS8784" or "CS8785";
}

/// <summary>
/// A collectible load context for one emitted test assembly: the AutoGrad runtime resolves to the copy already
/// loaded in the test process, everything else falls back to the default context.
/// </summary>
internal sealed class GeneratedCodeLoadContext : AssemblyLoadContext
{
    public GeneratedCodeLoadContext(string name) : base(name, isCollectible: true) { }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var runtime = GeneratorHarness.RuntimeAssembly;
        return string.Equals(assemblyName.Name, runtime.GetName().Name, StringComparison.OrdinalIgnoreCase) ? runtime : null;
    }
}
