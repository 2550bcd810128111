using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using AutoGrad.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoGrad.Generator.Tests.Incremental;

/// <summary>
/// The read step binds a file's [Loss] and [GradientOf] methods again only when the file changed or
/// what it can see of the compilation changed (<see cref="SourceReader"/>). These tests hold both
/// halves of that: a keystroke inside a method body elsewhere binds nothing, and every edit that
/// can change what a loss means (a constant, an alias, a member, a file, the references) is seen:
/// the incremental output equals a run from scratch on freshly parsed sources after every edit.
/// </summary>
public sealed class ReadCacheTests
{
    private const string Usings = "using System;\nusing AutoGrad;\nusing static AutoGrad.Fn;\n\n";

    private static readonly string PathLosses = GeneratorHarness.SourcePath(0);
    private static readonly string PathSettings = GeneratorHarness.SourcePath(1);
    private static readonly string PathMore = GeneratorHarness.SourcePath(2);

    private const string Losses = Usings + """
        namespace App;

        public static partial class Losses
        {
            [Loss]
            public static double Scaled(double z, [Target] double y) => Settings.Scale * Square(z - y);

            [Loss]
            public static double Bce(double z, [Target] double y) => -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));

            [GradientOf(nameof(Bce))]
            public static double BceByHand(double z, double y) => Sigmoid(z) - y;
        }
        """;

    private const string Settings = Usings + """
        namespace App;

        public static class Settings
        {
            public const double Scale = 2.0;

            public static double Helper(double x)
            {
                return x * 3;
            }

            public static double Twice(double x) => x * 2;
        }
        """;

    private const string More = Usings + """
        namespace App;

        public static partial class More
        {
            [Loss]
            public static double Poisson(double z, [Target] double y) => Exp(z) - y * z;
        }
        """;

    private static GeneratorRun First()
    {
        var run = GeneratorHarness.Run(Losses, Settings, More);
        run.AssertNoErrors();
        return run;
    }

    /// <summary>
    /// The typing tests' file has a path of its own: the read step finds a file's previous reading by path, and the tests
    /// that count methods read must not have it replaced in between by another test's file at the same path.
    /// </summary>
    private const string PathTyping = "/src/ReadCacheTests.Typing.cs";

    private static GeneratorRun Typed(string source) =>
        GeneratorHarness.Run(CSharpCompilation.Create(GeneratorHarness.AssemblyName, new[] { GeneratorHarness.Parse(source, PathTyping) },
            GeneratorHarness.References, GeneratorHarness.CompilationOptions));

    /// <summary>Runs <paramref name="action"/> and counts the files the read step bound meanwhile.</summary>
    private static (T Result, int FilesRead) Counting<T>(Func<T> action) => Counting(SourceReader.FilesRead, action);

    /// <summary>Runs <paramref name="action"/> and counts the attributed methods the read step bound meanwhile.</summary>
    private static (T Result, int MethodsRead) CountingMethods<T>(Func<T> action) => Counting(SourceReader.MethodsRead, action);

    private static (T Result, int Count) Counting<T>(System.Threading.AsyncLocal<StrongBox<int>?> hook, Func<T> action)
    {
        var counter = new StrongBox<int>();
        hook.Value = counter;
        try
        {
            return (action(), counter.Value);
        }
        finally
        {
            hook.Value = null;
        }
    }

    private static void AssertSameAsFresh(GeneratorRun run, string what)
    {
        var difference = run.OutputDifference(GeneratorHarness.RunFromScratch(run.InputCompilation));
        Assert.True(difference is null, $"{what}: the output differs from a run from scratch: {difference}");
    }

    [Fact]
    public void A_keystroke_inside_a_method_body_elsewhere_binds_nothing()
    {
        var first = First();
        var (run, read) = Counting(() => first.RunAgain(GeneratorHarness.EditSource(PathSettings, t => t.Replace("return x * 3;", "return x * 4;"))));
        run.AssertNoErrors();
        Assert.Equal(0, read);
        Assert.Equal(first.GeneratedSources, run.GeneratedSources);

        // An expression body, and a half-typed statement, are bodies too.
        (run, read) = Counting(() => run.RunAgain(GeneratorHarness.EditSource(PathSettings, t => t.Replace("=> x * 2;", "=> x * 2 + 0;"))));
        Assert.Equal(0, read);
        (run, read) = Counting(() => run.RunAgain(GeneratorHarness.EditSource(PathSettings, t => t.Replace("return x * 4;", "return x * 4; var q = Math."))));
        Assert.Equal(0, read);
        Assert.Equal(first.GeneratedSources, run.GeneratedSources);
    }

    [Fact]
    public void An_edit_in_a_loss_file_reads_that_file_only()
    {
        var first = First();
        var (run, read) = Counting(() => first.RunAgain(GeneratorHarness.EditSource(PathMore, t => t.Replace("Exp(z) - y * z", "Exp(z) - 2 * y * z"))));
        run.AssertNoErrors();
        Assert.Equal(1, read);
        Assert.Contains("2 * y", run.GeneratedText("More.Poisson.g.cs"), StringComparison.Ordinal);
        AssertSameAsFresh(run, "a loss edited");
    }

    private const string Typing = Usings + """
        namespace App.Typing;

        public static partial class Losses
        {
            [Loss]
            public static double First(double z, [Target] double y) => Square(z - y);

            [Loss]
            public static double Hinge(double z, [Target] double y) => Max(0, 1 - y * z);

            [Loss]
            public static double Bce(double z, [Target] double y) => -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));

            [GradientOf(nameof(Bce))]
            public static double BceWrong(double z, double y) => Sigmoid(z) - y + 1;

            [Loss]
            public static double Last(double z, [Target] double y)
            {
        #if FAST
                return Abs(z - y);
        #else
                var d = z - y;
                return d * d;
        #endif
            }
        }
        """;

    [Fact]
    public void Typing_inside_one_loss_binds_that_loss_only()
    {
        var first = Typed(Typing);
        Assert.Contains(first.GeneratorDiagnostics, d => d.Id == "AG0005");
        Assert.Contains(first.GeneratorDiagnostics, d => d.Id == "AG0006");
        var (run, read) = CountingMethods(() => first.RunAgain(GeneratorHarness.EditSource(PathTyping, t => t.Replace("Square(z - y);", "Square(z - y) * 2;"))));
        Assert.Equal(1, read);
        Assert.NotEqual(first.GeneratedText("Typing.Losses.First.g.cs"), run.GeneratedText("Typing.Losses.First.g.cs"));
        AssertSameAsFresh(run, "typed inside a loss");
    }

    /// <summary>
    /// An edit that adds lines to one loss moves every method below it: their readings are moved, not read again, and
    /// their diagnostics (AG0006's non-smooth site, AG0005 on the hand-written gradient) are where a fresh run puts them.
    /// </summary>
    [Fact]
    public void Losses_moved_by_an_edit_above_them_are_not_read_again_and_their_diagnostics_move()
    {
        var first = Typed(Typing);
        var (run, read) = CountingMethods(() => first.RunAgain(GeneratorHarness.EditSource(PathTyping,
            t => t.Replace("=> Square(z - y);", "=>\n        Square(\n            z - y);"))));
        Assert.Equal(1, read);
        Assert.NotEqual(first.DiagnosticLines(), run.DiagnosticLines());
        AssertSameAsFresh(run, "lines added above the other losses");

        // Moved along a line: the columns of what is on the method's first line move too.
        first = Typed(Usings + "namespace App.OneLine; public static partial class L { [Loss] public static double A(double z) => z * z; "
            + "[Loss] public static double H(double z, [Target] double y) => Max(0, 1 - y * z); }");
        Assert.Contains(first.GeneratorDiagnostics, d => d.Id == "AG0006");
        (run, read) = CountingMethods(() => first.RunAgain(GeneratorHarness.EditSource(PathTyping, t => t.Replace("z * z;", "z * z * z;"))));
        Assert.Equal(1, read);
        AssertSameAsFresh(run, "typed on the line of another loss");

        // A reading that points outside its method (AG0001 at the type) is read again instead.
        var notPartial = Typing.Replace("public static partial class Losses", "public static class Losses");
        first = Typed(notPartial);
        Assert.Contains(first.GeneratorDiagnostics, d => d.Id == "AG0001");
        (run, read) = CountingMethods(() => first.RunAgain(GeneratorHarness.EditSource(PathTyping, t => t.Replace("Square(z - y);", "Square(z - y) * 2;"))));
        // The edited loss and the three below it; the [GradientOf] method's reading lies inside it, and moves.
        Assert.Equal(4, read);
        AssertSameAsFresh(run, "typed inside a loss of a type that is not partial");
    }

    /// <summary>A #define changes a method's tokens, not its text: the method is read again.</summary>
    [Fact]
    public void A_define_that_changes_a_loss_body_reads_that_loss_again()
    {
        var first = Typed(Typing);
        var (run, read) = CountingMethods(() => first.RunAgain(GeneratorHarness.EditSource(PathTyping, t => "#define FAST\n" + t)));
        Assert.Equal(1, read);
        Assert.Contains("Sign(", run.GeneratedText("Typing.Losses.Last.g.cs"), StringComparison.Ordinal);
        AssertSameAsFresh(run, "#define above the losses");
    }

    public static IEnumerable<object[]> DeclarationEdits() => new[]
    {
        new object[] { "a constant changes", GeneratorHarness.EditSource(PathSettings, t => t.Replace("Scale = 2.0", "Scale = 3.0")) },
        new object[] { "a member is added", GeneratorHarness.EditSource(PathSettings, t => t.Replace("public const", "public static int Count => 1;\n    public const")) },
        new object[] { "a signature changes", GeneratorHarness.EditSource(PathSettings, t => t.Replace("double Helper(double x)", "double Helper(double x, double y = 1)")) },
        new object[] { "a file is added", GeneratorHarness.AddSource(Usings + "namespace App; public static class Extra { }") },
        new object[] { "a file is removed", GeneratorHarness.RemoveSource(PathSettings) },
        new object[] { "a global using is added", GeneratorHarness.AddSource("global using System.Linq;") },
        new object[] { "a reference is removed", (Func<Compilation, Compilation>)(c => c.RemoveReferences(c.References.Where(r => r.Display?.EndsWith("System.Linq.dll", StringComparison.Ordinal) == true))) },
        new object[] { "an option changes", (Func<Compilation, Compilation>)(c => c.WithOptions(c.Options.WithOverflowChecks(true))) },
    };

    [Theory]
    [MemberData(nameof(DeclarationEdits))]
    public void An_edit_to_what_losses_can_see_reads_every_loss_file_again(string what, Func<Compilation, Compilation> edit)
    {
        var first = First();
        var (run, read) = Counting(() => first.RunAgain(edit));
        Assert.True(read == 2, $"{what}: {read} files read, expected the two with losses");
        AssertSameAsFresh(run, what);
    }

    [Fact]
    public void A_constant_in_another_file_is_seen_when_it_changes()
    {
        var first = First();
        var run = first.RunAgain(GeneratorHarness.EditSource(PathSettings, t => t.Replace("Scale = 2.0", "Scale = 3.0")));
        run.AssertNoErrors();
        Assert.NotEqual(first.GeneratedText("Losses.Scaled.g.cs"), run.GeneratedText("Losses.Scaled.g.cs"));
        Assert.Equal(3.0 * 2 * (0.5 - 0.25), run.Load().Invoke<double>("App.Losses", "ScaledGradient", 0.5, 0.25), 12);
    }

    [Fact]
    public void An_alias_declared_in_another_file_can_name_the_attribute()
    {
        const string aliased = Usings + """
            namespace App;

            public static partial class Aliased
            {
                [L]
                public static double Half(double x, [Target] double y) => Square(x - y) / 2;
            }
            """;
        var first = GeneratorHarness.Run(aliased, "global using L = AutoGrad.LossAttribute;");
        first.AssertNoErrors();
        Assert.Contains("App.Aliased.Half.g.cs", first.GeneratedSources.Keys);

        // The alias now names another attribute: the method is no loss, though its file did not change.
        var run = first.RunAgain(GeneratorHarness.EditSource(GeneratorHarness.SourcePath(1), _ => "global using L = System.ObsoleteAttribute;"));
        Assert.DoesNotContain("App.Aliased.Half.g.cs", run.GeneratedSources.Keys);
        AssertSameAsFresh(run, "the alias changed");
    }

    [Fact]
    public void A_file_shared_by_two_compilations_is_read_against_each()
    {
        var losses = GeneratorHarness.Parse(Losses, PathLosses);
        var more = GeneratorHarness.Parse(More, PathMore);
        CSharpCompilation With(string scale) => CSharpCompilation.Create(GeneratorHarness.AssemblyName,
            new[] { losses, GeneratorHarness.Parse(Settings.Replace("Scale = 2.0", "Scale = " + scale), PathSettings), more },
            GeneratorHarness.References, GeneratorHarness.CompilationOptions);

        // The same tree objects, alternately in two projects that see different constants.
        for (int i = 0; i < 2; i++)
        {
            foreach (var scale in new[] { "2.0", "5.0" })
            {
                var run = GeneratorHarness.Run(With(scale));
                run.AssertNoErrors();
                Assert.Contains(scale == "2.0" ? "2 *" : "5 *", run.GeneratedText("Losses.Scaled.g.cs"), StringComparison.Ordinal);
                AssertSameAsFresh(run, "scale " + scale);
            }
        }
    }

    /// <summary>A session of edits of every kind; after each, the driver's output is the output of a run from scratch.</summary>
    [Fact]
    public void Incremental_output_equals_a_fresh_run_after_every_edit_of_a_session()
    {
        var edits = new (string What, Func<Compilation, Compilation> Edit)[]
        {
            ("body elsewhere", GeneratorHarness.EditSource(PathSettings, t => t.Replace("return x * 3;", "return x * 5;"))),
            ("constant", GeneratorHarness.EditSource(PathSettings, t => t.Replace("Scale = 2.0", "Scale = 0.5"))),
            ("half-typed loss", GeneratorHarness.EditSource(PathMore, t => t.Replace("Exp(z) - y * z", "Exp(z) - y *"))),
            ("loss finished", GeneratorHarness.EditSource(PathMore, t => t.Replace("Exp(z) - y *", "Exp(z) - y * z * z"))),
            ("constant removed", GeneratorHarness.EditSource(PathSettings, t => t.Replace("public const double Scale = 0.5;", ""))),
            ("constant back, as a static readonly", GeneratorHarness.EditSource(PathSettings, t => t.Replace("public static double Helper", "public static readonly double Scale = 4;\n    public static double Helper"))),
            ("constant back", GeneratorHarness.EditSource(PathSettings, t => t.Replace("public static readonly double Scale = 4;", "public const double Scale = 4;"))),
            ("loss type no longer partial", GeneratorHarness.EditSource(PathMore, t => t.Replace("static partial class More", "static class More"))),
            ("partial again", GeneratorHarness.EditSource(PathMore, t => t.Replace("static class More", "static partial class More"))),
            ("a Log method shadows Fn.Log", GeneratorHarness.AddSource(Usings + "namespace App; public static partial class Losses { public static double Log(double x) => x; }", "/src/Shadow.cs")),
            ("shadow removed", GeneratorHarness.RemoveSource("/src/Shadow.cs")),
            ("hand-written gradient wrong", GeneratorHarness.EditSource(PathLosses, t => t.Replace("=> Sigmoid(z) - y;", "=> Sigmoid(z) - y + 1;"))),
            ("comment above the losses", GeneratorHarness.EditSource(PathLosses, t => t.Replace("namespace App;", "namespace App; // moved"))),
            ("nothing", c => c),
        };

        var run = First();
        foreach (var (what, edit) in edits)
        {
            run = run.RunAgain(edit);
            Assert.Null(run.GeneratorException);
            AssertSameAsFresh(run, what);
        }
    }

    [Theory]
    [InlineData("a comment", "public const double Scale = 2.0;", "public const double Scale = 2.0; // the scale")]
    [InlineData("layout", "public const double Scale = 2.0;", "public  const double Scale =\n 2.0;")]
    [InlineData("a method body", "return x * 3;", "var t = x; return t * 3;")]
    [InlineData("an expression body", "=> x * 2;", "=> 2 * x;")]
    public void A_file_fingerprint_ignores_what_no_other_code_sees(string what, string from, string to)
    {
        Assert.True(Fingerprint(Settings).Equals(Fingerprint(Settings.Replace(from, to))), what);
    }

    [Theory]
    [InlineData("a constant's value", "Scale = 2.0", "Scale = 2.5")]
    [InlineData("a member's name", "Helper(", "Helper2(")]
    [InlineData("a parameter's type", "Twice(double x)", "Twice(float x)")]
    [InlineData("a modifier", "public static class", "internal static class")]
    [InlineData("a using", "using System;", "using System.Linq;")]
    [InlineData("an attribute", "public static double Twice", "[Obsolete] public static double Twice")]
    [InlineData("a body becoming none", "public static double Twice(double x) => x * 2;", "public static extern double Twice(double x);")]
    public void A_file_fingerprint_sees_every_declaration(string what, string from, string to)
    {
        Assert.Contains(from, Settings, StringComparison.Ordinal);
        Assert.False(Fingerprint(Settings).Equals(Fingerprint(Settings.Replace(from, to))), what);
    }

    [Fact]
    public void A_file_fingerprint_includes_the_path() =>
        Assert.False(DeclarationFacts.Of(GeneratorHarness.Parse(Settings, "/a.cs")).Declarations.Equals(DeclarationFacts.Of(GeneratorHarness.Parse(Settings, "/b.cs")).Declarations));

    [Fact]
    public void A_file_fingerprint_includes_the_language_version() =>
        Assert.False(DeclarationFacts.Of(CSharpSyntaxTree.ParseText(Settings, new CSharpParseOptions(LanguageVersion.CSharp8), PathSettings)).Declarations
            .Equals(DeclarationFacts.Of(CSharpSyntaxTree.ParseText(Settings, new CSharpParseOptions(LanguageVersion.CSharp12), PathSettings)).Declarations));

    private static Fingerprint Fingerprint(string text) => DeclarationFacts.Of(GeneratorHarness.Parse(text, PathSettings)).Declarations;
}
