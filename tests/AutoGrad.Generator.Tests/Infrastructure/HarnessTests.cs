using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Xunit.Sdk;

namespace AutoGrad.Generator.Tests;

/// <summary>Self-tests of the test infrastructure: harness, reflection helpers, snapshots, finite differences, seeded points.</summary>
public sealed class HarnessTests
{
    private const string PlainSource = """
        namespace Plain;

        public static class Maths
        {
            public static double Add(double a, double b) => a + b;

            internal static (double x, double y) Swap(double x, double y) => (y, x);

            public static double Scale { get; } = 2.5;

            public static double Norm(double[] v)
            {
                double s = 0;
                foreach (var x in v) s += x * x;
                return System.Math.Sqrt(s);
            }

            public static double Fail() => throw new System.InvalidOperationException("boom");

            public static class Nested
            {
                public static double Twice(double x, double factor = 2) => factor * x;
            }
        }
        """;

    // ---- GeneratorHarness and GeneratorRun ----------------------------------------------------------

    [Fact]
    public void Run_of_a_plain_class_compiles_loads_and_invokes()
    {
        var run = GeneratorHarness.Run(PlainSource);

        run.AssertNoErrors();
        Assert.Null(run.GeneratorException);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(GeneratorHarness.SourcePath(0), run.InputCompilation.SyntaxTrees.Single().FilePath);
        Assert.Contains(run.InputCompilation.References, r => Path.GetFileName(r.Display) == "AutoGrad.dll");

        var asm = run.Load();
        Assert.Same(asm, run.Load());
        Assert.True(AssemblyLoadContext.GetLoadContext(asm)!.IsCollectible);

        Assert.Equal(3.0, asm.Invoke("Plain.Maths", "Add", 1.0, 2.0));
        Assert.Equal(3.0, asm.Invoke<double>("Maths", "Add", 1, 2)); // ints convert to double
        Assert.Equal((4.0, 3.0), asm.Invoke<(double, double)>("Maths", "Swap", 3.0, 4.0)); // internal, tuple
        Assert.Equal(5.0, asm.Invoke<double>("Maths", "Norm", new[] { 3.0, 4.0 }));
        Assert.Equal(6.0, asm.Invoke<double>("Maths.Nested", "Twice", 3.0)); // optional parameter defaulted
        Assert.Equal(9.0, asm.Invoke<double>("Plain.Maths+Nested", "Twice", 3.0, 3.0));
        Assert.Equal(2.5, asm.GetStatic<double>("Maths", "Scale"));
        Assert.Equal("boom", Assert.Throws<InvalidOperationException>(() => asm.Invoke("Maths", "Fail")).Message);

        var add = asm.CreateDelegate<Func<double, double, double>>("Maths", "Add");
        Assert.Equal(0.75, add(0.5, 0.25));
        var swap = asm.CreateDelegate<Func<double, double, (double, double)>>("Maths", "Swap");
        Assert.Equal((2.0, 1.0), swap(1.0, 2.0));
    }

    [Fact]
    public void Loaded_code_uses_the_runtime_already_loaded_in_the_test_process()
    {
        var run = GeneratorHarness.Run("""
            using AutoGrad;

            public static class UsesRuntime
            {
                public static double Second(Vec v) => v[1];
                public static System.Reflection.Assembly Runtime => typeof(Vec).Assembly;
            }
            """);

        run.AssertNoErrors();
        var asm = run.Load();
        Assert.Same(GeneratorHarness.RuntimeAssembly, asm.GetStatic<System.Reflection.Assembly>("UsesRuntime", "Runtime"));
        Assert.Equal(2.0, asm.Invoke("UsesRuntime", "Second", new[] { 1.0, 2.0 })); // double[] converts to Vec implicitly
    }

    [Fact]
    public void Reflection_helpers_fail_with_what_exists()
    {
        var asm = GeneratorHarness.Run(PlainSource).Load();

        var noMethod = Assert.ThrowsAny<XunitException>(() => asm.Invoke("Maths", "Subtract", 1.0, 2.0));
        Assert.Contains("Add", noMethod.Message);
        var noType = Assert.ThrowsAny<XunitException>(() => asm.FindType("Losses"));
        Assert.Contains("Plain.Maths", noType.Message);
        var badSignature = Assert.ThrowsAny<XunitException>(() => asm.CreateDelegate<Func<float, float, float>>("Maths", "Add"));
        Assert.Contains("double Add(double a, double b)", badSignature.Message);
    }

    [Fact]
    public void Several_sources_get_their_own_paths_and_compile_together()
    {
        var run = GeneratorHarness.Run(
            "namespace P; public static class A { public static double One() => B.Half() * 2; }",
            "namespace P; public static class B { public static double Half() => 0.5; }");

        run.AssertNoErrors();
        Assert.Equal(new[] { "/src/Test0.cs", "/src/Test1.cs" }, run.InputCompilation.SyntaxTrees.Select(t => t.FilePath));
        Assert.Equal(1.0, run.Load().Invoke("P.A", "One"));
    }

    [Fact]
    public void AssertNoErrors_lists_compile_errors()
    {
        var run = GeneratorHarness.Run("public static class Broken { public static double F() => undefinedName; }");

        var failure = Assert.ThrowsAny<XunitException>(run.AssertNoErrors);
        Assert.Contains("CS0103", failure.Message);
        Assert.Contains("/src/Test0.cs", failure.Message);
    }

    [Fact]
    public void Compilation_uses_latest_language_nullable_and_unsafe()
    {
        var run = GeneratorHarness.Run("""
            public static class Modern
            {
                public static unsafe double First(double[] values) { fixed (double* p = values) return *p; }
                public static string? MaybeNull() => null;
                public static int[] Collection() => [1, 2, 3];
            }
            """);

        run.AssertNoErrors();
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning));
        Assert.Equal(2.0, run.Load().Invoke("Modern", "First", new[] { 2.0, 3.0 }));
    }

    [Fact]
    public void RunAgain_reuses_the_driver_on_an_edited_compilation()
    {
        var first = GeneratorHarness.Run(PlainSource);

        var added = first.RunAgain(GeneratorHarness.AddSource("namespace Plain; public static class Other { public static double Z() => 0; }"));
        Assert.Equal(new[] { "/src/Test0.cs", "/src/Test1.cs" }, added.InputCompilation.SyntaxTrees.Select(t => t.FilePath));
        added.AssertNoErrors();

        var edited = GeneratorHarness.RunAgain(added, GeneratorHarness.EditSource("/src/Test1.cs", t => t.Replace("=> 0", "=> 42")));
        edited.AssertNoErrors();
        Assert.Equal(42.0, edited.Load().Invoke("Other", "Z"));

        var removed = edited.RunAgain(GeneratorHarness.RemoveSource("/src/Test1.cs"));
        Assert.Single(removed.InputCompilation.SyntaxTrees);

        // Every tracked output is listed with a reason (the stub generator may track none yet).
        var reasons = removed.TrackedStepReasons();
        Assert.All(reasons, r => Assert.False(string.IsNullOrEmpty(r.StepName)));
        Assert.Equal(reasons.Select(r => r.StepName).Distinct().OrderBy(n => n, StringComparer.Ordinal), removed.TrackedStepNames().Where(n => reasons.Any(r => r.StepName == n)));
        Assert.ThrowsAny<XunitException>(() => removed.AssertStepReasons("NoSuchStep", IncrementalStepRunReason.Cached));
    }

    // ---- Snapshot -----------------------------------------------------------------------------------

    private const string FixedSnapshot = """
        // <auto-generated/>
        #nullable enable
        namespace Snapshot.SelfTest;

        static partial class Losses
        {
            /// <summary>∂L/∂z = Sigmoid(z) - y</summary>
            public static double BinaryCrossEntropyGradient(double z, double y) => AutoGrad.Fn.Sigmoid(z) - y;
        }
        """;

    [Fact]
    public void Snapshot_matches_committed_verified_file()
    {
        Snapshot.Verify(FixedSnapshot);
        Snapshot.Verify(FixedSnapshot.Replace("\n", "\r\n") + "\r\n"); // line endings and a final newline do not matter
    }

    [Fact]
    public void Snapshot_paths_follow_verify_conventions()
    {
        var file = Path.Combine(Path.GetTempPath(), "SomeTests.cs");
        Assert.Equal(Path.Combine(Path.GetTempPath(), "SomeTests.Member.verified.cs"), Snapshot.VerifiedPath(file, "Member"));
        Assert.Equal(Path.Combine(Path.GetTempPath(), "SomeTests.Member.Losses.g.received.cs"), Snapshot.ReceivedPath(file, "Member", "Losses.g.cs"));
        Assert.Equal("My_Ns_Losses.g", Snapshot.SanitizeName("My/Ns\\Losses.g.cs"));
    }

    [Fact]
    public void Snapshot_mismatch_writes_received_and_throws()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "FakeTests.cs");
        var verified = Snapshot.VerifiedPath(file, "Case");
        var received = Snapshot.ReceivedPath(file, "Case");
        File.WriteAllText(verified, "line 1\nline 2\nline 3\n");

        var failure = Assert.ThrowsAny<XunitException>(() => Snapshot.Verify("line 1\nline two\nline 3\n", null, file, "Case", accept: false));
        Assert.Contains("line 2", failure.Message);
        Assert.Contains("[line 2]", failure.Message);
        Assert.Contains("[line two]", failure.Message);
        Assert.Contains(received, failure.Message);
        Assert.Equal("line 1\nline two\nline 3\n", File.ReadAllText(received));
        Assert.Equal("line 1\nline 2\nline 3\n", File.ReadAllText(verified)); // untouched

        // A match afterwards removes the stale received file.
        Snapshot.Verify("line 1\r\nline 2\r\nline 3", null, file, "Case", accept: false);
        Assert.False(File.Exists(received));

        // A missing verified file fails too, and writes what was received.
        Assert.ThrowsAny<XunitException>(() => Snapshot.Verify("new", "fresh", file, "Case", accept: false));
        Assert.True(File.Exists(Snapshot.ReceivedPath(file, "Case", "fresh")));
        File.Delete(Snapshot.ReceivedPath(file, "Case", "fresh"));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.received.cs"));
    }

    [Fact]
    public void Snapshot_accept_mode_overwrites_verified_and_passes()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "FakeTests.cs");
        File.WriteAllText(Snapshot.VerifiedPath(file, "Case"), "old\n");

        Snapshot.Verify("new\r\n", null, file, "Case", accept: true);
        Assert.Equal("new\n", File.ReadAllText(Snapshot.VerifiedPath(file, "Case")));
        Snapshot.Verify("missing until now", "named", file, "Case", accept: true);
        Assert.True(File.Exists(Snapshot.VerifiedPath(file, "Case", "named")));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.received.cs"));
    }

    [Fact]
    public void Snapshot_of_files_requires_some_and_flags_stale_ones()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "FakeTests.cs");
        var none = new Dictionary<string, string>();

        var empty = Assert.ThrowsAny<XunitException>(() => Snapshot.VerifyFiles(none, false, file, "Gen", accept: false));
        Assert.Contains("allowEmpty", empty.Message);
        Snapshot.VerifyFiles(none, true, file, "Gen", accept: false);

        var files = new Dictionary<string, string> { ["A.g.cs"] = "a", ["B.g.cs"] = "b" };
        Snapshot.VerifyFiles(files, false, file, "Gen", accept: true);
        Assert.True(File.Exists(Path.Combine(dir.Path, "FakeTests.Gen.A.g.verified.cs")));
        Snapshot.VerifyFiles(files, false, file, "Gen", accept: false);

        files.Remove("B.g.cs");
        var stale = Assert.ThrowsAny<XunitException>(() => Snapshot.VerifyFiles(files, false, file, "Gen", accept: false));
        Assert.Contains("FakeTests.Gen.B.g.verified.cs", stale.Message);
        Snapshot.VerifyFiles(files, false, file, "Gen", accept: true);
        Assert.False(File.Exists(Path.Combine(dir.Path, "FakeTests.Gen.B.g.verified.cs")));
    }

    [Fact]
    public void VerifyGenerated_fails_when_nothing_was_generated_unless_allowed()
    {
        var run = GeneratorHarness.Run(PlainSource);
        if (run.GeneratedSources.Count != 0) return; // the generator emits something even without [Loss]: nothing to check here

        Assert.ThrowsAny<XunitException>(() => Snapshot.VerifyGenerated(run));
        Snapshot.VerifyGenerated(run, allowEmpty: true);
    }

    // ---- FiniteDifference ---------------------------------------------------------------------------

    public static TheoryData<double> SinPoints => new() { -3.0, -1.0, -0.3, 0.0, 1e-3, 0.5, 1.0, 2.0, 3.0 };

    [Theory]
    [MemberData(nameof(SinPoints))]
    public void Central_and_Richardson_differentiate_sin(double x)
    {
        double exact = Math.Cos(x);

        double central = FiniteDifference.Central(Math.Sin, x);
        Assert.True(Math.Abs(central - exact) < 1e-9, $"central at {x}: {central} vs {exact}");
        FiniteDifference.AssertClose(exact, central, 0, 1e-9, $"central sin' at {x}");

        double richardson = FiniteDifference.Richardson(Math.Sin, x);
        Assert.True(Math.Abs(richardson - exact) < 1e-11, $"richardson at {x}: {richardson} vs {exact}");

        double single = FiniteDifference.CentralSingle(MathF.Sin, (float)x);
        Assert.True(Math.Abs(single - Math.Cos((float)x)) < 1e-3, $"single at {x}: {single}");
    }

    [Fact]
    public void Gradient_of_a_vector_function()
    {
        var x = new[] { 0.5, -2.0, 3.0 };
        double F(double[] v) => v[0] * v[0] + Math.Exp(v[1]) + v[0] * v[2];
        var expected = new[] { 2 * x[0] + x[2], Math.Exp(x[1]), x[0] };

        FiniteDifference.AssertClose(expected, FiniteDifference.Gradient(F, x), 1e-8, 1e-10, "central");
        FiniteDifference.AssertClose(expected, FiniteDifference.Gradient(F, x, richardson: true), 1e-11, 1e-12, "richardson");
        Assert.Equal(new[] { 0.5, -2.0, 3.0 }, x); // the point is not modified
    }

    [Fact]
    public void AssertClose_explains_a_failure()
    {
        var failure = Assert.ThrowsAny<XunitException>(() => FiniteDifference.AssertClose(1.0, 1.001, 1e-6, 1e-9, "dL/dz at z=0.5"));
        Assert.Contains("dL/dz at z=0.5", failure.Message);
        Assert.Contains("1.001", failure.Message);

        FiniteDifference.AssertClose(double.PositiveInfinity, double.PositiveInfinity, 0, 0, "same infinity");
        FiniteDifference.AssertClose(double.NaN, double.NaN, 0, 0, "both NaN");
        Assert.ThrowsAny<XunitException>(() => FiniteDifference.AssertClose(double.NaN, 0, 1, 1, "one NaN"));
        Assert.ThrowsAny<XunitException>(() => FiniteDifference.AssertClose(new[] { 1.0, 2.0 }, new[] { 1.0, 2.5 }, 1e-6, 0, "vector"));
    }

    // ---- SeededPoints -------------------------------------------------------------------------------

    [Fact]
    public void Seeded_points_are_deterministic_and_in_range()
    {
        var a = new SeededPoints();
        var b = new SeededPoints();
        Assert.Equal(a.Doubles(20, -3, 3), b.Doubles(20, -3, 3));
        Assert.NotEqual(new SeededPoints(1).Doubles(5, 0, 1), new SeededPoints(2).Doubles(5, 0, 1));

        var points = new SeededPoints(7);
        Assert.All(points.Doubles(500, -2, 5), v => Assert.InRange(v, -2, 5));
        Assert.All(points.Probabilities(500, 1e-3), p => Assert.True(p > 1e-3 && p < 1 - 1e-3));
        Assert.All(points.BinaryLabels(200), y => Assert.True(y is 0.0 or 1.0));
        Assert.Contains(0.0, points.BinaryLabels(200));
        Assert.Contains(1.0, points.BinaryLabels(200));
        Assert.All(points.SoftLabels(500), y => Assert.InRange(y, 0.0, 1.0));

        for (int i = 0; i < 100; i++)
        {
            int classes = points.Classes();
            Assert.InRange(classes, 2, 50);

            var oneHot = points.OneHot(classes, out int hot);
            Assert.Equal(1.0, oneHot[hot]);
            Assert.Equal(1.0, oneHot.Sum());
            Assert.Equal(classes - 1, oneHot.Count(v => v == 0.0));

            var soft = points.SoftTarget(classes);
            Assert.All(soft, v => Assert.InRange(v, 0.0, 1.0));
            Assert.Equal(1.0, soft.Sum(), 1e-12);

            var (logits, target) = points.LogitsWithSoftTarget();
            Assert.Equal(logits.Length, target.Length);
            Assert.InRange(logits.Length, 2, 50);
        }

        var rows = points.SoftTargetRows(batch: 4, classes: 3);
        for (int r = 0; r < 4; r++) Assert.Equal(1.0, rows.Skip(3 * r).Take(3).Sum(), 1e-12);
    }

    /// <summary>A temporary directory removed with everything in it.</summary>
    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("autograd-snapshot-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); }
            catch (IOException) { }
        }
    }
}
