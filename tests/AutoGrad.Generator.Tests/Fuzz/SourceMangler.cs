using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoGrad.Generator.Tests.Fuzz;

/// <summary>
/// Breaks valid loss files the way an editor does while someone types, and the way a careless edit
/// does: tokens deleted, duplicated, swapped or replaced, tokens from a C# vocabulary inserted, the
/// file cut off mid-way (half-typed), characters deleted or inserted. Seeded.
/// </summary>
internal sealed class SourceMangler
{
    /// <summary>Tokens and fragments worth inserting: punctuation, keywords, AutoGrad's own names and oddities.</summary>
    private static readonly string[] Vocabulary =
    {
        "(", ")", "{", "}", "[", "]", ";", ",", ".", "?", ":", "=>", "=", "+", "-", "*", "/", "%", "<", ">", "==", "!", "&&", "||", "??", "?.", "..", "^1",
        "static", "partial", "class", "struct", "record", "interface", "public", "private", "internal", "abstract", "virtual", "override", "sealed",
        "ref", "out", "in", "params", "this", "async", "await", "new", "var", "return", "for", "foreach", "while", "if", "else", "switch", "throw",
        "yield", "goto", "lock", "using", "namespace", "extern", "unsafe", "fixed", "stackalloc", "sizeof", "typeof(int)", "default", "null", "nameof(z)",
        "double", "float", "int", "decimal", "object", "dynamic", "void", "Vec", "Vec[]", "double[]", "Span<double>", "(double, double)", "double?",
        "[Loss]", "[Target]", "[Constant]", "[Target(SumsToOne = true)]", "[Loss(", "Loss", "Target", "AutoGrad.", "global::", "Fn.", "Math.",
        "Sum", "Log", "Exp", "Softmax", "Sigmoid", "Max", "Pow", "Math.Sin", "Math.Cos", "Dot", "LogSumExp", "Clamp", "Sqrt",
        "x", "z", "y", "w", "b", "z[0]", "z.Length", "1", "0", "0.5", "-1", "1e400", "1e-400", "double.NaN", "int.MaxValue", "\"s\"", "'c'", "$\"{z}\"",
        "<T>", "where T : struct", "T", "#if X", "#endif", "#region", "/*", "*/", "//", "///", "checked(", "unchecked", "__arglist", "@double",
        "delegate", "x => x", "() => 1", "is", "as", "with", "->", "&z", "*p", "+=", "++", "--", "<<", ">>", "~", "^", "|", "&",
    };

    private const string Typed = "(){};,.=+-*/<>?:![]\"'@#$\\ \nazZ019_";

    private readonly Random _rng;

    public SourceMangler(int seed) => _rng = new Random(seed);

    /// <summary>One to three random edits of <paramref name="source"/>.</summary>
    public string Mangle(string source)
    {
        int edits = _rng.Next(1, 4);
        for (int i = 0; i < edits; i++) source = MangleOnce(source);
        return source;
    }

    private string MangleOnce(string source)
    {
        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens(descendIntoTrivia: false).Where(t => t.Span.Length > 0).ToList();
        if (tokens.Count == 0 || source.Length == 0) return source + Vocabulary[_rng.Next(Vocabulary.Length)];
        var token = tokens[_rng.Next(tokens.Count)];
        switch (_rng.Next(9))
        {
            case 0: // delete a token
                return source.Remove(token.SpanStart, token.Span.Length);
            case 1: // duplicate a token
                return source.Insert(token.Span.End, " " + token.Text);
            case 2: // swap a token with the next
            {
                int k = tokens.IndexOf(token);
                if (k + 1 >= tokens.Count) return source;
                var next = tokens[k + 1];
                return source.Substring(0, token.SpanStart) + next.Text + source.Substring(token.Span.End, next.SpanStart - token.Span.End) + token.Text + source.Substring(next.Span.End);
            }
            case 3: // replace a token
                return source.Remove(token.SpanStart, token.Span.Length).Insert(token.SpanStart, Vocabulary[_rng.Next(Vocabulary.Length)]);
            case 4: // insert a token
            case 5:
                return source.Insert(_rng.Next(2) == 0 ? token.SpanStart : token.Span.End, " " + Vocabulary[_rng.Next(Vocabulary.Length)] + " ");
            case 6: // half-typed: the file ends where the cursor is
                return source.Substring(0, _rng.Next(source.Length));
            case 7: // a selection deleted
            {
                int start = _rng.Next(source.Length);
                return source.Remove(start, Math.Min(source.Length - start, _rng.Next(1, 40)));
            }
            default: // a few random characters typed
            {
                var sb = new StringBuilder();
                for (int i = _rng.Next(1, 4); i > 0; i--) sb.Append(Typed[_rng.Next(Typed.Length)]);
                return source.Insert(_rng.Next(source.Length + 1), sb.ToString());
            }
        }
    }
}
