using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// Snapshot testing with Verify's file conventions, without the dependency.
/// </summary>
/// <remarks>
/// <para>
/// The expected text lives next to the test source: <c>&lt;dir&gt;/&lt;TestFile&gt;.&lt;Member&gt;[.&lt;name&gt;].verified.cs</c>,
/// where <c>&lt;TestFile&gt;</c> is the test's file name without extension. Line endings are normalized to <c>\n</c>
/// and a difference only in trailing newlines is ignored (written files end with exactly one newline).
/// </para>
/// <para>
/// On a mismatch (or a missing verified file) the actual text is written to <c>….received.cs</c> beside it and the test
/// fails naming the first differing line. Review the received file, then either copy it over the verified file or run
/// with <c>AUTOGRAD_ACCEPT=1</c> (or <c>VERIFY_ACCEPT=1</c>) to overwrite every mismatching verified file and pass.
/// A matching run deletes a stale received file. The test project compiles neither kind of file.
/// </para>
/// </remarks>
public static class Snapshot
{
    private const string VerifiedSuffix = ".verified.cs";
    private const string ReceivedSuffix = ".received.cs";
    private static readonly Encoding s_utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>True when <c>AUTOGRAD_ACCEPT</c> or <c>VERIFY_ACCEPT</c> is <c>1</c> (or <c>true</c>): mismatches overwrite the verified file.</summary>
    public static bool AcceptFromEnvironment => IsSet("AUTOGRAD_ACCEPT") || IsSet("VERIFY_ACCEPT");

    /// <summary>Compares <paramref name="actual"/> with <c>&lt;TestFile&gt;.&lt;member&gt;[.&lt;name&gt;].verified.cs</c> next to the calling test file.</summary>
    public static void Verify(
        string actual,
        string? name = null,
        [CallerFilePath] string file = "",
        [CallerMemberName] string member = "")
        => Verify(actual, name, file, member, AcceptFromEnvironment);

    /// <summary>
    /// Snapshots every generated source of <paramref name="run"/>, one file per hint name
    /// (<c>Losses.g.cs</c> becomes <c>&lt;TestFile&gt;.&lt;member&gt;.Losses.g.verified.cs</c>); see <see cref="VerifyFiles"/>.
    /// </summary>
    public static void VerifyGenerated(
        GeneratorRun run,
        bool allowEmpty = false,
        [CallerFilePath] string file = "",
        [CallerMemberName] string member = "")
        => VerifyFiles(run.GeneratedSources, allowEmpty, file, member);

    /// <summary>
    /// Snapshots a set of named texts (hint name to text), one verified file per entry, the name sanitized and any
    /// trailing <c>.cs</c> dropped. Fails if the set is empty (unless <paramref name="allowEmpty"/>), and if a verified file
    /// <c>&lt;TestFile&gt;.&lt;member&gt;.*.verified.cs</c> exists for a name no longer in the set (under accept, that file is deleted).
    /// So a test method that calls this owns all of its named snapshots. Every mismatch is reported at once.
    /// </summary>
    public static void VerifyFiles(
        IReadOnlyDictionary<string, string> files,
        bool allowEmpty = false,
        [CallerFilePath] string file = "",
        [CallerMemberName] string member = "")
        => VerifyFiles(files, allowEmpty, file, member, AcceptFromEnvironment);

    /// <summary>The verified file for a test file, member and optional name (the name is sanitized).</summary>
    public static string VerifiedPath(string file, string member, string? name = null) =>
        Path.Combine(DirectoryOf(file), BaseName(file, member, name) + VerifiedSuffix);

    /// <summary>The received file that goes with <see cref="VerifiedPath"/>.</summary>
    public static string ReceivedPath(string file, string member, string? name = null) =>
        Path.Combine(DirectoryOf(file), BaseName(file, member, name) + ReceivedSuffix);

    /// <summary>A name safe in a file name on every OS: invalid characters become <c>_</c>, a trailing <c>.cs</c> is dropped.</summary>
    public static string SanitizeName(string name)
    {
        if (name.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)) name = name[..^3];
        var invalid = new HashSet<char>(Path.GetInvalidFileNameChars().Concat("<>:\"/\\|?*"));
        var chars = name.Select(c => invalid.Contains(c) || char.IsControl(c) || char.IsWhiteSpace(c) ? '_' : c).ToArray();
        var result = new string(chars).Trim('.');
        return result.Length == 0 ? "_" : result;
    }

    // ---- the work (internal so self-tests can pin the accept mode) --------------------------------

    internal static void Verify(string actual, string? name, string file, string member, bool accept)
    {
        var failure = Check(actual, name, file, member, accept);
        if (failure is not null) Assert.Fail(failure);
    }

    internal static void VerifyFiles(IReadOnlyDictionary<string, string> files, bool allowEmpty, string file, string member, bool accept)
    {
        var failures = new List<string>();
        if (files.Count == 0 && !allowEmpty)
            failures.Add($"{member}: there is nothing to snapshot (no generated sources). Pass allowEmpty: true if that is expected.");

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (hint, text) in files.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var name = SanitizeName(hint);
            if (!names.Add(name))
            {
                failures.Add($"Two entries map to the snapshot name '{name}' (one is '{hint}').");
                continue;
            }
            if (Check(text, name, file, member, accept) is { } failure) failures.Add(failure);
        }

        // Verified files of this member whose name no longer occurs: the generator stopped producing a file.
        var directory = DirectoryOf(file);
        var prefix = BaseName(file, member, null) + ".";
        foreach (var stale in Directory.EnumerateFiles(directory, "*" + VerifiedSuffix)
                     .Select(Path.GetFileName)
                     .Where(f => f!.StartsWith(prefix, StringComparison.Ordinal))
                     .Select(f => f![prefix.Length..^VerifiedSuffix.Length])
                     .Where(n => n.Length > 0 && !names.Contains(n))
                     .OrderBy(n => n, StringComparer.Ordinal))
        {
            var path = Path.Combine(directory, prefix + stale + VerifiedSuffix);
            if (accept) File.Delete(path);
            else failures.Add($"{Path.GetFileName(path)}: verified snapshot of '{stale}', which was not produced. Delete it, or rerun with AUTOGRAD_ACCEPT=1.");
        }

        if (failures.Count > 0)
            Assert.Fail($"{failures.Count} snapshot problem(s):{Environment.NewLine}{string.Join(Environment.NewLine + Environment.NewLine, failures)}");
    }

    /// <summary>Null when the snapshot matches (or was accepted), else the failure message (the received file is written).</summary>
    private static string? Check(string actual, string? name, string file, string member, bool accept)
    {
        if (string.IsNullOrEmpty(member)) throw new ArgumentException("A member name is needed.", nameof(member));

        var verifiedPath = VerifiedPath(file, member, name);
        var receivedPath = ReceivedPath(file, member, name);
        var normalized = TrimTrailingNewlines(Normalize(actual)) + "\n"; // files end with exactly one newline

        string? expected = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (expected is not null && Same(expected, normalized))
        {
            DeleteIfExists(receivedPath);
            return null;
        }

        if (accept)
        {
            File.WriteAllText(verifiedPath, normalized, s_utf8);
            DeleteIfExists(receivedPath);
            return null;
        }

        File.WriteAllText(receivedPath, normalized, s_utf8);
        var how = $"Received: {receivedPath}{Environment.NewLine}" +
                  "Review it, then copy it over the verified file or rerun with AUTOGRAD_ACCEPT=1.";
        if (expected is null)
        {
            return $"{Path.GetFileName(verifiedPath)} does not exist yet ({CountLines(normalized)} line(s) received).{Environment.NewLine}{how}";
        }
        return $"{Path.GetFileName(verifiedPath)} does not match.{Environment.NewLine}{FirstDifference(expected, normalized)}{Environment.NewLine}{how}";
    }

    /// <summary>The first differing line, 1-based, with both lines shown in brackets (so trailing spaces show).</summary>
    internal static string FirstDifference(string expected, string actual)
    {
        var e = TrimTrailingNewlines(expected).Split('\n');
        var a = TrimTrailingNewlines(actual).Split('\n');
        int i = 0;
        while (i < e.Length && i < a.Length && e[i] == a[i]) i++;

        string Line(string[] lines, int k) => k < lines.Length ? $"[{lines[k]}]" : "(end of text)";
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"First difference at line {i + 1} (verified has {e.Length} line(s), received {a.Length}):");
        if (i > 0) sb.AppendLine().Append(CultureInfo.InvariantCulture, $"  line {i}, same: [{e[i - 1]}]");
        sb.AppendLine().Append("  verified: ").Append(Line(e, i));
        sb.AppendLine().Append("  received: ").Append(Line(a, i));
        if (i < e.Length && i < a.Length)
        {
            int col = 0;
            while (col < e[i].Length && col < a[i].Length && e[i][col] == a[i][col]) col++;
            sb.AppendLine().Append(CultureInfo.InvariantCulture, $"  (first differing column: {col + 1})");
        }
        return sb.ToString();
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static bool Same(string expected, string actual) =>
        string.Equals(TrimTrailingNewlines(expected), TrimTrailingNewlines(actual), StringComparison.Ordinal);

    private static string TrimTrailingNewlines(string text) => text.TrimEnd('\n');

    private static int CountLines(string text) => TrimTrailingNewlines(text).Split('\n').Length;

    private static void DeleteIfExists(string path)
    {
        if (File.Exists(path)) File.Delete(path);
    }

    private static string DirectoryOf(string file)
    {
        if (string.IsNullOrEmpty(file))
            throw new ArgumentException("The test file path is empty; call Snapshot from a test so [CallerFilePath] is filled in.", nameof(file));
        var directory = Path.GetDirectoryName(file);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
            throw new InvalidOperationException($"The test source directory '{directory}' (from [CallerFilePath] '{file}') does not exist; snapshot tests need the test sources on disk.");
        return directory;
    }

    private static string BaseName(string file, string member, string? name)
    {
        var classFile = Path.GetFileNameWithoutExtension(file);
        return name is null ? $"{classFile}.{member}" : $"{classFile}.{member}.{SanitizeName(name)}";
    }

    private static bool IsSet(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { } v &&
        (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));
}
