using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using AutoGrad.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Tests.Diagnostics;

/// <summary>
/// Every AG id is documented and tracked: a descriptor with a help link into the README's Diagnostics
/// section (when the repository has a public address), an anchor and a heading there, and a row in
/// AnalyzerReleases.Shipped.md with the same category and severity. And each id is reported exactly,
/// at the construct it is about (<c>[|...|]</c> marks the expected span), once per construct kind.
/// </summary>
public sealed class DiagnosticCatalogTests
{
    private static readonly string Root = RepositoryRoot();

    public static IEnumerable<object[]> Ids() => DiagnosticDescriptors.Descriptors.Select(d => new object[] { d.Id });

    [Fact]
    public void The_ids_are_the_contract_s()
    {
        Assert.Equal(new[] { "AG0001", "AG0002", "AG0003", "AG0004", "AG0005", "AG0006", "AG9999" },
            DiagnosticDescriptors.Descriptors.Select(d => d.Id).OrderBy(i => i, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_id_has_a_readme_anchor_a_help_link_and_a_shipped_entry(string id)
    {
        var d = DiagnosticDescriptors.ById(id);
        Assert.Equal("AutoGrad", d.Category);
        Assert.True(d.IsEnabledByDefault);
        Assert.False(string.IsNullOrWhiteSpace(d.Title.ToString()));

        // The README explains it, under an anchor the help link can point at.
        string readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        string anchor = id.ToLowerInvariant();
        Assert.Contains($"<a id=\"{anchor}\"></a>", readme, StringComparison.Ordinal);
        Assert.Matches(new Regex($@"^### {id}: .+\({Severity(d.DefaultSeverity).ToLowerInvariant()}\)\s*$", RegexOptions.Multiline), readme);

        // The help link is that anchor in the public repository's README, or absent while there is none.
        if (DiagnosticDescriptors.HelpBase is { } help)
        {
            Assert.Equal(help + anchor, d.HelpLinkUri);
            Assert.True(Uri.TryCreate(d.HelpLinkUri, UriKind.Absolute, out var uri) && uri.Scheme == "https", d.HelpLinkUri);
        }
        else
        {
            Assert.True(string.IsNullOrEmpty(d.HelpLinkUri), "a help link without a repository address: " + d.HelpLinkUri);
        }

        // Release tracking lists it as shipped, with the descriptor's own category and severity.
        var rows = Shipped();
        Assert.True(rows.TryGetValue(id, out var row), $"{id} is not in AnalyzerReleases.Shipped.md");
        Assert.Equal(("AutoGrad", Severity(d.DefaultSeverity)), (row.Category, row.Severity));
    }

    [Fact]
    public void Shipped_lists_no_id_that_has_no_descriptor()
    {
        var ids = DiagnosticDescriptors.Descriptors.Select(d => d.Id).ToHashSet();
        Assert.All(Shipped().Keys, id => Assert.Contains(id, ids));
    }

    [Theory]
    // AG0001: where the modifier is missing.
    [InlineData("AG0001", "public static partial class L { [Loss] public double [|M|](double z) => z * z; }")]
    [InlineData("AG0001", "public class [|Outer|] { public static partial class L { [Loss] public static double M(double z) => z * z; } }")]
    [InlineData("AG0001", "public static class [|L|] { [Loss] public static double M(double z) => z * z; }")]
    // AG0002: the parameter, the return type, the type parameters.
    [InlineData("AG0002", "public static partial class L { [Loss] public static double M([|ref double z|]) => z * z; }")]
    [InlineData("AG0002", "public static partial class L { [Loss] public static double M([|int k|], double z) => z * k; }")]
    [InlineData("AG0002", "public static partial class L { [Loss] public static [|Vec|] M(Vec z) => z; }")]
    [InlineData("AG0002", "public static partial class L { [Loss] public static double M[|<T>|](double z) => z; }")]
    [InlineData("AG0002", "public static partial class L { [Loss] public static double [|M|]([Target] double y) => y; }")]
    // AG0003: the construct itself.
    [InlineData("AG0003", "public static partial class L { [Loss] public static double M(double z) { var a = z; [|a = 2 * z;|] return a; } }")]
    [InlineData("AG0003", "public static partial class L { [Loss] public static double M(double z) { [|if (z > 0) return z;|] return -z; } }")]
    [InlineData("AG0003", "public static partial class L { [Loss] public static double M(double z) => [|z % 2|]; }")]
    [InlineData("AG0003", "public static partial class L { [Loss] public static double M(double z) => Sum([|new Vec()|]) * z; }")]
    [InlineData("AG0003", "public static partial class L { [Loss] public static double M(double z) => [|z switch { > 0 => z, _ => -z }|]; }")]
    [InlineData("AG0003", "public static partial class L { [Loss] public static double M(double z) => [|(int)z|] * z; }")]
    [InlineData("AG0003", "public static partial class L { [Loss] public static double M(double z) => [|unknown|] * z; }")]
    // AG0004: the call.
    [InlineData("AG0004", "public static partial class L { [Loss] public static double M(double z) => [|Math.Sin(z)|]; }")]
    [InlineData("AG0004", "public static partial class L { [Loss] public static double M(double z) => [|Math.Round(z)|] * z; }")]
    [InlineData("AG0004", "public static partial class L { static double H(double x) => x; [Loss] public static double M(double z) => [|H(z)|]; }")]
    // AG0005: the hand-written method.
    [InlineData("AG0005", "public static partial class L { [Loss] public static double M(double z) => z * z; [GradientOf(nameof(M))] public static double [|ByHand|](double z) => 3 * z; }")]
    // AG0006 (info): the non-smooth construct on a differentiated value.
    [InlineData("AG0006", "public static partial class L { [Loss] public static double M(double z, [Target] double y) => [|Max(z, y)|]; }")]
    [InlineData("AG0006", "public static partial class L { [Loss] public static double M(double z) => [|z > 0 ? z : 0|]; }")]
    [InlineData("AG0006", "public static partial class L { [Loss] public static double M(Vec z) => [|Max(z)|]; }")]
    public void Exactly_this_id_at_this_span(string id, string marked)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal) - 2;
        string source = "using System;\nusing AutoGrad;\nusing static AutoGrad.Fn;\n" + marked.Replace("[|", "").Replace("|]", "");
        string expected = marked.Substring(start + 2, end - start);

        var run = GeneratorHarness.Run(source);
        Assert.Null(run.GeneratorException);
        var d = run.AssertSingleDiagnostic(id);
        var tree = run.InputCompilation.SyntaxTrees.Single();
        Assert.Equal(tree.FilePath, d.Location.GetLineSpan().Path);
        Assert.Equal(expected, tree.GetText().ToString(d.Location.SourceSpan));
        Assert.Equal(DiagnosticDescriptors.ById(id).DefaultSeverity, d.Severity);
        Assert.False(string.IsNullOrWhiteSpace(d.GetMessage()));
    }

    private static string Severity(DiagnosticSeverity s) => s switch
    {
        DiagnosticSeverity.Error => "Error",
        DiagnosticSeverity.Warning => "Warning",
        DiagnosticSeverity.Info => "Info",
        _ => "Hidden",
    };

    /// <summary>The rows of AnalyzerReleases.Shipped.md: id to (category, severity).</summary>
    private static Dictionary<string, (string Category, string Severity)> Shipped() =>
        File.ReadAllLines(Path.Combine(Root, "generator", "AutoGrad.Generator", "AnalyzerReleases.Shipped.md"))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .Where(c => c.Length >= 3 && Regex.IsMatch(c[0], "^AG[0-9]{4}$"))
            .ToDictionary(c => c[0], c => (c[1], c[2]));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AutoGrad.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("AutoGrad.sln not found above " + AppContext.BaseDirectory);
    }
}
