using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using AutoGrad.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// Runs <see cref="LossGenerator"/> over in-memory sources the way the compiler does inside a build,
/// and hands back everything a test wants to look at (<see cref="GeneratorRun"/>).
/// </summary>
/// <remarks>
/// The compilation references every trusted platform assembly of the running test process
/// (the net10.0 shared framework plus the test's own package dependencies, minus this test assembly and the generator)
/// and the AutoGrad runtime, so test sources can write <c>using AutoGrad;</c> and <c>using static AutoGrad.Fn;</c>.
/// </remarks>
public static class GeneratorHarness
{
    /// <summary>Parse options for every test source and every generated source: C# latest.</summary>
    public static CSharpParseOptions ParseOptions { get; } =
        new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Parse);

    /// <summary>Library, nullable enabled, unsafe allowed, Release, deterministic.</summary>
    public static CSharpCompilationOptions CompilationOptions { get; } =
        new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            allowUnsafe: true,
            optimizationLevel: OptimizationLevel.Release,
            deterministic: true);

    /// <summary>The name of every compilation the harness builds (fixed, so generated output is reproducible).</summary>
    public const string AssemblyName = "AutoGrad.Generated.TestAssembly";

    /// <summary>The AutoGrad runtime assembly as loaded in the test process (found by name, so it does not depend on any one runtime type).</summary>
    public static Assembly RuntimeAssembly => s_runtimeAssembly.Value;

    /// <summary>The metadata references of every harness compilation (created once, shared).</summary>
    public static ImmutableArray<MetadataReference> References => s_references.Value;

    private static readonly Lazy<Assembly> s_runtimeAssembly =
        new(() => Assembly.Load(new AssemblyName("AutoGrad")), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references =
        new(CreateReferences, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Compiles <paramref name="source"/> (and <paramref name="moreSources"/>, as <c>/src/Test0.cs</c>, <c>/src/Test1.cs</c>, ...),
    /// runs the generator once and returns the result. Never asserts: call <see cref="GeneratorRun.AssertNoErrors"/>.
    /// </summary>
    public static GeneratorRun Run(string source, params string[] moreSources)
    {
        var trees = new List<SyntaxTree> { Parse(source, SourcePath(0)) };
        for (int i = 0; i < moreSources.Length; i++)
            trees.Add(Parse(moreSources[i], SourcePath(i + 1)));

        var compilation = CSharpCompilation.Create(AssemblyName, trees, References, CompilationOptions);
        return Run(compilation);
    }

    /// <summary>Runs a fresh driver over a compilation built by the caller (use <see cref="Parse"/>, <see cref="References"/> and <see cref="CompilationOptions"/>).</summary>
    public static GeneratorRun Run(CSharpCompilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new LossGenerator().AsSourceGenerator() },
            additionalTexts: null,
            parseOptions: ParseOptions,
            optionsProvider: null,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        return Drive(driver, compilation);
    }

    /// <summary>
    /// A run from scratch of <paramref name="compilation"/>'s sources: a new driver over new syntax trees parsed from the
    /// same texts, and the read step told not to take methods from a file's previous reading (which it finds by path),
    /// so nothing cached can apply. What an incremental run must equal.
    /// </summary>
    public static GeneratorRun RunFromScratch(Compilation compilation)
    {
        SourceReader.FromScratch.Value = true;
        try
        {
            return Run((CSharpCompilation)compilation.RemoveAllSyntaxTrees()
                .AddSyntaxTrees(compilation.SyntaxTrees.Select(t => Parse(t.GetText().ToString(), t.FilePath))));
        }
        finally
        {
            SourceReader.FromScratch.Value = false;
        }
    }

    /// <summary>
    /// Re-runs the driver of <paramref name="previous"/> (with its incremental state) on an edited copy of
    /// <paramref name="previous"/>'s input compilation. Look at <see cref="GeneratorRun.TrackedStepReasons"/> of the result.
    /// </summary>
    public static GeneratorRun RunAgain(GeneratorRun previous, Func<Compilation, Compilation> edit)
    {
        if (previous is null) throw new ArgumentNullException(nameof(previous));
        if (edit is null) throw new ArgumentNullException(nameof(edit));

        var edited = edit(previous.InputCompilation);
        if (edited is not CSharpCompilation csharp)
            throw new ArgumentException("The edit must return a CSharpCompilation.", nameof(edit));
        return Drive(previous.Driver, csharp);
    }

    /// <summary>Parses one test source with <see cref="ParseOptions"/> under the given path.</summary>
    public static SyntaxTree Parse(string text, string path) =>
        CSharpSyntaxTree.ParseText(SourceText.From(text, Encoding.UTF8), ParseOptions, path);

    /// <summary>The path given to the <paramref name="index"/>-th test source: <c>/src/Test{index}.cs</c>.</summary>
    public static string SourcePath(int index) => $"/src/Test{index}.cs";

    // ---- Edits for RunAgain ----------------------------------------------------------------

    /// <summary>An edit that adds a source file (at the next free <c>/src/TestN.cs</c> unless a path is given).</summary>
    public static Func<Compilation, Compilation> AddSource(string text, string? path = null) =>
        c => c.AddSyntaxTrees(Parse(text, path ?? NextFreePath(c)));

    /// <summary>An edit that replaces the whole text of the source at <paramref name="path"/>.</summary>
    public static Func<Compilation, Compilation> ReplaceSource(string path, string newText) =>
        c =>
        {
            var old = FindTree(c, path);
            return c.ReplaceSyntaxTree(old, Parse(newText, path));
        };

    /// <summary>An edit that rewrites the text of the source at <paramref name="path"/> (e.g. <c>t => t.Replace("1 - y", "1.0 - y")</c>).</summary>
    public static Func<Compilation, Compilation> EditSource(string path, Func<string, string> rewrite) =>
        c =>
        {
            var old = FindTree(c, path);
            return c.ReplaceSyntaxTree(old, Parse(rewrite(old.GetText().ToString()), path));
        };

    /// <summary>An edit that removes the source at <paramref name="path"/>.</summary>
    public static Func<Compilation, Compilation> RemoveSource(string path) =>
        c => c.RemoveSyntaxTrees(FindTree(c, path));

    // ---- internals --------------------------------------------------------------------------

    private static GeneratorRun Drive(GeneratorDriver driver, CSharpCompilation input)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out var output, out var generatorDiagnostics);
        return new GeneratorRun(driver, input, output, driver.GetRunResult(), generatorDiagnostics);
    }

    private static SyntaxTree FindTree(Compilation c, string path) =>
        c.SyntaxTrees.FirstOrDefault(t => t.FilePath == path)
        ?? throw new ArgumentException(
            $"No source '{path}' in the compilation; it has: {string.Join(", ", c.SyntaxTrees.Select(t => t.FilePath))}.",
            nameof(path));

    private static string NextFreePath(Compilation c)
    {
        var taken = new HashSet<string>(c.SyntaxTrees.Select(t => t.FilePath), StringComparer.Ordinal);
        int i = 0;
        while (taken.Contains(SourcePath(i))) i++;
        return SourcePath(i);
    }

    private static ImmutableArray<MetadataReference> CreateReferences()
    {
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var excluded = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            typeof(GeneratorHarness).Assembly.Location, // this test assembly: its helpers have no business inside test sources
            typeof(LossGenerator).Assembly.Location,    // the generator: a consumer gets it as an analyzer, never as a reference
        };

        var tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string
                  ?? throw new InvalidOperationException("TRUSTED_PLATFORM_ASSEMBLIES is not set; the harness needs .NET (Core) to run.");
        foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (excluded.Contains(path)) continue;
            if (!path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) continue;
            paths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
        }

        var runtime = RuntimeAssembly.Location;
        if (string.IsNullOrEmpty(runtime))
            throw new InvalidOperationException("The AutoGrad runtime assembly has no location on disk.");
        paths[Path.GetFileNameWithoutExtension(runtime)] = runtime;

        return paths.Values
            .OrderBy(p => p, StringComparer.OrdinalIgnoreCase)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }
}
