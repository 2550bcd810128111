using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AutoGrad.Generator.Tests.EndToEnd;
using AutoGrad.Generator.Tests.Fuzz;

namespace AutoGrad.Generator.Tests.Determinism;

/// <summary>
/// The same input gives byte-identical generated files: across runs and fresh drivers, across the
/// order of files and losses, across threads, and whatever the current culture (a comma decimal
/// separator, a Unicode minus sign, a dotless i). Across processes and with the real compiler, see
/// <c>Packaging/PackageTests</c>, which compares a real build's generated files with these.
/// </summary>
public sealed class DeterminismTests
{
    /// <summary>Losses whose output holds non-integer and negative constants, vectors, ?: and every kind of formula.</summary>
    public static string Source { get; } = ScalarLosses.Source;

    /// <summary>Fuzzed losses: constants in every spelling (0.5, 5e-1, 1E+1, -1.25), Math and Fn calls, locals.</summary>
    public static string FuzzedSource { get; } = Fuzzed(77, 40, "Determinism");

    private static string Fuzzed(int seed, int count, string className)
    {
        var fuzzer = new LossFuzzer(seed);
        return FSource.ClassOf(Enumerable.Range(0, count).Select(i => fuzzer.Next("D" + i.ToString(CultureInfo.InvariantCulture))).ToList(), className);
    }

    /// <summary>The seed losses with a hand-written gradient that is wrong, so AG0005 prints a point and two values.</summary>
    private static readonly string WrongByHand = AutoGrad.Generator.Tests.GradientOf.GradientOfSources.With(
        "[GradientOf(nameof(BinaryCrossEntropy))] public static double Wrong(double z, double y) => Sigmoid(z) - y + 0.5 * Sigmoid(-z * 1.5);");

    /// <summary>Generated files and generator diagnostics of one fresh run, as text.</summary>
    public static SortedDictionary<string, string> Generate(params string[] sources)
    {
        var run = GeneratorHarness.Run(sources[0], sources.Skip(1).ToArray());
        Assert.Null(run.GeneratorException);
        var result = new SortedDictionary<string, string>(run.GeneratedSources, StringComparer.Ordinal)
        {
            ["(diagnostics)"] = string.Join("\n", run.GeneratorDiagnostics.Select(d => d.Id + " " + d.Location.GetLineSpan() + " " + d.GetMessage(CultureInfo.InvariantCulture)).OrderBy(s => s, StringComparer.Ordinal)),
        };
        return result;
    }

    /// <summary>One SHA-256 over every generated file (name and bytes).</summary>
    public static string Hash(IReadOnlyDictionary<string, string> files)
    {
        var sb = new StringBuilder();
        foreach (var (name, text) in files.OrderBy(kv => kv.Key, StringComparer.Ordinal)) sb.Append(name).Append('\0').Append(text).Append('\0');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    [Fact]
    public void Repeated_runs_give_byte_identical_files()
    {
        var first = Generate(Source, FuzzedSource, VectorLosses.Source);
        Assert.True(first.Count > 40);
        for (int i = 0; i < 3; i++)
        {
            AssertSame(first, Generate(Source, FuzzedSource, VectorLosses.Source), "run " + i);
        }
    }

    [Theory]
    [InlineData("de-DE")] // 0,5
    [InlineData("fr-FR")] // 0,5 and a narrow no-break space between thousands
    [InlineData("sv-SE")] // −1 with U+2212 MINUS SIGN
    [InlineData("tr-TR")] // "I".ToLower() is "ı"
    [InlineData("ar-SA")]
    [InlineData("")]      // the invariant culture itself
    public void The_current_culture_changes_nothing(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        if (name == "de-DE") Assert.Equal(",", culture.NumberFormat.NumberDecimalSeparator); // ICU is present: the test is not vacuous
        var expected = WithCulture(CultureInfo.InvariantCulture, () => Generate(WrongByHand, FuzzedSource, VectorLosses.Source));
        var actual = WithCulture(culture, () => Generate(WrongByHand, FuzzedSource, VectorLosses.Source));
        AssertSame(expected, actual, name);
        Assert.Contains("0.5", string.Concat(actual.Values), StringComparison.Ordinal);
        Assert.Contains("AG0005", actual["(diagnostics)"], StringComparison.Ordinal); // its message carries numbers too
    }

    [Fact]
    public void The_order_of_files_and_of_losses_changes_nothing_per_loss()
    {
        var forward = Generate(Source, VectorLosses.Source);
        var backward = Generate(VectorLosses.Source, Source);
        forward.Remove("(diagnostics)");
        backward.Remove("(diagnostics)");
        AssertSame(forward, backward, "files swapped");

        // Losses declared in reverse order in their class: each loss's file is the same.
        var fuzzer = new LossFuzzer(5);
        var losses = Enumerable.Range(0, 30).Select(i => fuzzer.Next("O" + i.ToString(CultureInfo.InvariantCulture))).ToList();
        var a = Generate(FSource.ClassOf(losses, "Ordered"));
        var b = Generate(FSource.ClassOf(Enumerable.Reverse(losses), "Ordered"));
        a.Remove("(diagnostics)");
        b.Remove("(diagnostics)");
        AssertSame(a, b, "losses reversed");
    }

    [Fact]
    public void Concurrent_runs_give_the_same_files()
    {
        var expected = Hash(Generate(FuzzedSource));
        var hashes = new string[6];
        Parallel.For(0, hashes.Length, new ParallelOptions { MaxDegreeOfParallelism = 3 }, i => hashes[i] = Hash(Generate(FuzzedSource)));
        Assert.All(hashes, h => Assert.Equal(expected, h));
    }

    private static T WithCulture<T>(CultureInfo culture, Func<T> action)
    {
        var (current, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = current;
            CultureInfo.CurrentUICulture = ui;
        }
    }

    private static void AssertSame(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual, string what)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, text) in expected)
        {
            if (text == actual[name]) continue;
            var e = text.Split('\n');
            var a = actual[name].Split('\n');
            int line = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i]);
            Assert.Fail($"{what}: {name} differs at line {line + 1}:\n  expected: {e.ElementAtOrDefault(line)}\n  actual:   {a.ElementAtOrDefault(line)}");
        }
    }
}
