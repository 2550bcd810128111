using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using AutoGrad.Generator.Tests.Determinism;
using Xunit.Abstractions;

namespace AutoGrad.Generator.Tests.Packaging;

/// <summary>
/// AutoGrad as someone outside the repository gets it: <c>dotnet pack</c> makes one package, a fresh
/// console project in a temporary folder takes it with a PackageReference (restoring from that
/// folder and the local NuGet cache only), builds it with the real compiler in another process,
/// under a German culture, and runs a loss. The files that build generated must be byte-identical to
/// what the generator produces in this process (determinism across processes and cultures).
/// </summary>
public sealed class PackageTests
{
    private const string Losses = """
        using AutoGrad;
        using static AutoGrad.Fn;

        namespace Consumer;

        public static partial class Losses
        {
            [Loss]
            public static double BinaryCrossEntropy(double z, [Target] double y)
                => -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));

            [Loss]
            public static double SoftmaxCrossEntropy(Vec z, [Target(SumsToOne = true)] Vec y)
                => -Sum(y * Log(Softmax(z)));

            [Loss]
            public static double Huber(double x, [Target] double y, [Constant] double delta)
            {
                var r = Abs(x - y);
                return r <= delta ? 0.5 * Square(x - y) : delta * (r - 0.5 * delta);
            }
        }
        """;

    private const string Program = """
        using System;
        using System.Globalization;
        using AutoGrad;
        using Consumer;

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine("bce " + Losses.BinaryCrossEntropyGradient(2.0, 1.0).ToString("R", inv));
        Console.WriteLine("formula " + Losses.BinaryCrossEntropyDerivation.Gradients["z"]);
        Vec g = Losses.SoftmaxCrossEntropyGradient(new double[] { 1, 2, 3 }, new double[] { 0, 0, 1 });
        Console.WriteLine("ce " + string.Join(" ", g.ToArray().Select(v => v.ToString("R", inv))));
        Console.WriteLine("huber " + Losses.HuberGradient(3.0, 1.0, 1.0).ToString("R", inv));
        Console.WriteLine("culture " + CultureInfo.CurrentCulture.Name);
        """;

    private readonly ITestOutputHelper _output;

    public PackageTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void The_package_installs_builds_and_runs_in_a_fresh_project()
    {
        var clock = Stopwatch.StartNew();
        string root = RepositoryRoot();
        string work = Directory.CreateTempSubdirectory("autograd-package-").FullName;
        try
        {
            // 1. Pack, into a folder of its own; bin/obj go there too, so no build of the repository is disturbed.
            string feed = Path.Combine(work, "feed");
            Run(root, "pack", Path.Combine(root, "runtime", "AutoGrad", "AutoGrad.csproj"), "-c", "Release", "-o", feed,
                "--artifacts-path", Path.Combine(work, "artifacts"), "-p:ContinuousIntegrationBuild=true");
            var package = Directory.GetFiles(feed, "AutoGrad.*.nupkg").Single(p => !p.EndsWith(".snupkg", StringComparison.Ordinal));
            AssertLayout(package);

            // 2. A fresh console project, outside the solution, that takes the package.
            string app = Path.Combine(work, "app");
            Directory.CreateDirectory(app);
            string version = Path.GetFileNameWithoutExtension(package)["AutoGrad.".Length..];
            File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
                    <RestorePackagesPath>{Path.Combine(work, "packages")}</RestorePackagesPath>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="AutoGrad" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            // Restore from the packed folder and the machine's NuGet cache only (it holds AutoGrad's own dependency).
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="autograd" value="{feed}" />
                    <add key="cache" value="{GlobalPackagesFolder()}" />
                  </packageSources>
                </configuration>
                """);
            // Directory.Build.* of this repository must not reach the project: it lives outside it, and says so.
            File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />");
            File.WriteAllText(Path.Combine(app, "Losses.cs"), Losses);
            File.WriteAllText(Path.Combine(app, "Program.cs"), Program);

            // 3. Build with the real compiler, in its own process, under a German culture.
            var german = new Dictionary<string, string> { ["LANG"] = "de_DE.UTF-8", ["LC_ALL"] = "de_DE.UTF-8" };
            Run(app, german, "build", "-c", "Release", "-p:UseSharedCompilation=false");
            string output = Run(app, german, "run", "-c", "Release", "--no-build");

            // 4. It ran the loss.
            Assert.Contains("bce " + (1 / (1 + Math.Exp(-2.0)) - 1).ToString("R", CultureInfo.InvariantCulture), output, StringComparison.Ordinal);
            Assert.Contains("formula Sigmoid(z) - y", output, StringComparison.Ordinal);
            Assert.Contains("huber 1", output, StringComparison.Ordinal);
            Assert.Contains("culture de-DE", output, StringComparison.Ordinal);
            var softmax = new[] { 1.0, 2, 3 }.Select(Math.Exp).ToArray();
            double sum = softmax.Sum();
            var ce = output.Split('\n').Single(l => l.StartsWith("ce ", StringComparison.Ordinal))[3..].Trim().Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(new[] { softmax[0] / sum, softmax[1] / sum, softmax[2] / sum - 1 }, ce, (a, b) => Math.Abs(a - b) < 1e-12);

            // 5. The real build generated exactly what the generator generates here.
            var generated = Directory.GetFiles(Path.Combine(app, "obj"), "*.g.cs", SearchOption.AllDirectories)
                .Where(f => f.Contains("AutoGrad.Generator", StringComparison.Ordinal))
                .ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
            var expected = DeterminismTests.Generate(Losses);
            expected.Remove("(diagnostics)");
            Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), generated.Keys.OrderBy(k => k, StringComparer.Ordinal));
            foreach (var (name, text) in expected) Assert.True(text == generated[name], $"{name} differs between this process and the real build");
            _output.WriteLine($"packed, installed, built, ran and compared in {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>What the package holds: runtime, XML docs and symbols in lib/net10.0, the generator in analyzers/dotnet/cs, the README, no dependency on the generator.</summary>
    private static void AssertLayout(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        foreach (var expected in new[]
                 {
                     "lib/net10.0/AutoGrad.dll", "lib/net10.0/AutoGrad.xml", "lib/net10.0/AutoGrad.pdb",
                     "analyzers/dotnet/cs/AutoGrad.Generator.dll", "analyzers/dotnet/cs/AutoGrad.Generator.pdb", "README.md",
                 })
        {
            Assert.True(entries.Contains(expected), $"the package lacks {expected}; it has: {string.Join(", ", entries.OrderBy(e => e, StringComparer.Ordinal))}");
        }
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generator", StringComparison.Ordinal));

        using var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var xml = XDocument.Load(nuspec);
        XNamespace ns = xml.Root!.Name.Namespace;
        var metadata = xml.Root.Element(ns + "metadata")!;
        Assert.Equal("AutoGrad", metadata.Element(ns + "id")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        var dependencies = metadata.Descendants(ns + "dependency").Select(d => d.Attribute("id")!.Value).ToList();
        Assert.DoesNotContain(dependencies, d => d.Contains("Generator", StringComparison.Ordinal) || d.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AutoGrad.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("AutoGrad.sln not found above " + AppContext.BaseDirectory);
    }

    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string Run(string directory, params string[] args) => Run(directory, new Dictionary<string, string>(), args);

    /// <summary>Runs the dotnet CLI; fails with its output when it fails or takes more than five minutes.</summary>
    private static string Run(string directory, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        // A clean CLI: no MSBuild state inherited from the test run, no telemetry, no first-run banner.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MSBUILD", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["NUGET_PACKAGES"] = GlobalPackagesFolder();
        // Nothing may outlive the command (and hold its output open): no reused MSBuild nodes, no build or compiler server.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        foreach (var (k, v) in environment) start.Environment[k] = v;

        using var process = Process.Start(start)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(" ", args)} took more than five minutes:\n{stdout}\n{stderr}");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Assert.Fail($"dotnet {string.Join(" ", args)} exited with {process.ExitCode} in {directory}:\n{stdout}\n{stderr}");
        }
        return stdout.ToString();
    }
}
