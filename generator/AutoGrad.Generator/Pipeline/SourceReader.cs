using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using AutoGrad.Generator.Compare;
using AutoGrad.Generator.Helpers;
using AutoGrad.Generator.Model;
using AutoGrad.Generator.Parse;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoGrad.Generator.Pipeline;

/// <summary>What the sources say: every [Loss] and [GradientOf] method read into its model, in file and source order.</summary>
internal sealed record SourceRead(EquatableArray<LossModel> Losses, EquatableArray<HandWrittenGradient> HandWritten)
{
    public static SourceRead Empty { get; } = new(EquatableArray<LossModel>.Empty, EquatableArray<HandWrittenGradient>.Empty);
}

/// <summary>
/// The parse stage's entry: finds the [Loss] and [GradientOf] methods and reads them, without
/// reading again what cannot have changed.
/// <para>
/// Reading a loss binds its body, and binding is the costly part of a keystroke: a new compilation
/// has no bound symbols, so <c>ForAttributeWithMetadataName</c> re-binds every attribute and every
/// body on every edit anywhere. Here a file's methods are read again only when the file itself
/// changed or what its code can see changed. What code can see of other files is their
/// declarations (types, members and signatures, attributes, usings and aliases, field and constant
/// initializers) and the compilation's options, references and name, never the inside of a method
/// body, accessor or top-level statement. <see cref="DeclarationFacts"/> fingerprints a file's
/// text outside those bodies; the fingerprints of all files, with the options, references and
/// name, make a <see cref="Visible"/>. A file whose syntax tree is the same object and whose
/// <see cref="Visible"/> is equal gets its previous reading back: a keystroke inside a method body of
/// another file (the common edit) binds nothing.
/// </para>
/// <para>
/// A keystroke inside a method body of a loss file makes a new tree of that file, with the same
/// declarations. Its methods are then read again one by one, against the file's previous reading
/// (found by path, held weakly): since the declarations are token for token the same, the file's
/// attributed methods are the same ones in the same order, and a method whose own text and tokens are
/// unchanged reads as before, moved by what the edit above it added or removed. So typing inside one
/// loss binds that loss alone, not every loss of its file. A reading that points outside its own
/// method (the enclosing type of AG0001) is not moved but read again.
/// </para>
/// <para>
/// The caches are keyed weakly by syntax tree (an unreachable tree takes its entry with it) or hold
/// the previous reading weakly, and hold values only: a reading is a pure function of the tree and
/// what it can see, so which compilation filled an entry does not matter, and the output is the same
/// whether or not it came from the cache.
/// </para>
/// </summary>
internal static class SourceReader
{
    private static readonly ConditionalWeakTable<SyntaxTree, DeclarationFacts> Facts = new();
    private static readonly ConditionalWeakTable<SyntaxTree, Slot> Readings = new();
    private static readonly ConcurrentDictionary<string, WeakReference<TreeReading>> LatestByPath = new(StringComparer.Ordinal);

    /// <summary>Test hook: when set, counts the files this flow of control reads (binds).</summary>
    internal static readonly AsyncLocal<StrongBox<int>?> FilesRead = new();

    /// <summary>Test hook: when set, counts the attributed methods this flow of control reads (binds).</summary>
    internal static readonly AsyncLocal<StrongBox<int>?> MethodsRead = new();

    /// <summary>Test hook: when true, this flow of control neither takes methods from a file's previous reading nor records one.</summary>
    internal static readonly AsyncLocal<bool> FromScratch = new();

    public static SourceRead Read(Compilation compilation, CancellationToken cancellationToken)
    {
        var trees = compilation.SyntaxTrees as IReadOnlyList<SyntaxTree> ?? compilation.SyntaxTrees.ToList();
        var facts = new DeclarationFacts[trees.Count];
        HashSet<string>? aliases = null;
        for (int i = 0; i < trees.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            facts[i] = Facts.GetValue(trees[i], static tree => DeclarationFacts.Of(tree));
            if (facts[i].AliasNames.Length > 0) (aliases ??= new HashSet<string>(StringComparer.Ordinal)).UnionWith(facts[i].AliasNames);
        }

        Visible? visible = null;
        var losses = new List<LossModel>();
        var hands = new List<HandWrittenGradient>();
        for (int i = 0; i < trees.Count; i++)
        {
            if (!facts[i].NamesAutoGradAttribute && (aliases is null || !aliases.Overlaps(facts[i].MethodAttributeNames))) continue;
            visible ??= Visible.Of(compilation, facts);
            var slot = Readings.GetOrCreateValue(trees[i]);
            var reading = slot.Value;
            if (reading is null || !reading.Visible.Equals(visible))
            {
                bool fromScratch = FromScratch.Value;
                var previous = !fromScratch && LatestByPath.TryGetValue(trees[i].FilePath, out var weak) && weak.TryGetTarget(out var latest) && latest.Visible.Equals(visible)
                    ? latest
                    : null;
                reading = ReadTree(compilation, trees[i], visible, aliases, previous, cancellationToken);
                slot.Value = reading;
                if (!fromScratch) LatestByPath[trees[i].FilePath] = new WeakReference<TreeReading>(reading);
            }
            losses.AddRange(reading.Losses);
            hands.AddRange(reading.HandWritten);
        }
        return losses.Count == 0 && hands.Count == 0 ? SourceRead.Empty : new SourceRead(losses.ToEquatableArray(), hands.ToEquatableArray());
    }

    /// <summary>
    /// Binds the attributed methods of one file and reads those that carry AutoGrad's attributes; a method unchanged
    /// since <paramref name="previous"/> (the file's reading against the same declarations) is taken from it instead.
    /// </summary>
    private static TreeReading ReadTree(Compilation compilation, SyntaxTree tree, Visible visible, HashSet<string>? aliases, TreeReading? previous, CancellationToken cancellationToken)
    {
        SemanticModel? model = null;
        var methods = new List<MethodReading>();
        foreach (var method in DeclarationFacts.DeclarationNodes(tree.GetRoot(cancellationToken)).OfType<MethodDeclarationSyntax>())
        {
            if (!method.AttributeLists.SelectMany(l => l.Attributes).Any(a => IsCandidate(a, aliases))) continue;
            cancellationToken.ThrowIfCancellationRequested();
            var source = MethodSource.Of(method);
            var before = previous is not null && methods.Count < previous.Methods.Count ? previous.Methods[methods.Count] : null;
            if (before is not null && before.Source.SameCode(source) && before.MovedTo(source) is { } moved)
            {
                methods.Add(moved);
                continue;
            }
            if (model is null)
            {
                if (FilesRead.Value is { } files) Interlocked.Increment(ref files.Value);
                model = compilation.GetSemanticModel(tree);
            }
            if (MethodsRead.Value is { } counter) Interlocked.Increment(ref counter.Value);
            methods.Add(ReadMethod(method, source, tree, model, cancellationToken));
        }
        return new TreeReading(visible, methods);
    }

    private static MethodReading ReadMethod(MethodDeclarationSyntax method, MethodSource source, SyntaxTree tree, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetDeclaredSymbol(method, cancellationToken) is not IMethodSymbol symbol) return new MethodReading(source, null, null);

        // Attributes written on this declaration (a partial method's other part has its own).
        var written = symbol.GetAttributes()
            .Where(a => a.ApplicationSyntaxReference is { } r && r.SyntaxTree == tree && method.AttributeLists.Any(l => l.Span.Contains(r.Span)))
            .ToList();
        var loss = written.Any(a => Is(a, LossParser.LossAttribute)) ? LossParser.Parse(method, symbol, model, cancellationToken) : null;
        var hand = written.FirstOrDefault(a => Is(a, GradientOfParser.GradientOfAttribute)) is { } gradientOf
            ? GradientOfParser.Parse(method, symbol, gradientOf, model, cancellationToken)
            : null;
        return new MethodReading(source, loss, hand);
    }

    private static bool IsCandidate(AttributeSyntax attribute, HashSet<string>? aliases)
    {
        string name = DeclarationFacts.SimpleName(attribute.Name);
        return DeclarationFacts.IsAutoGradAttributeName(name) || aliases?.Contains(name) == true;
    }

    private static bool Is(AttributeData attribute, string metadataName) =>
        attribute.AttributeClass is { } type && type.ToDisplayString() == metadataName;

    /// <summary>A mutable holder, since <see cref="ConditionalWeakTable{TKey, TValue}"/> cannot replace a value on netstandard2.0.</summary>
    private sealed class Slot
    {
        private volatile TreeReading? _value;

        public TreeReading? Value
        {
            get => _value;
            set => _value = value;
        }
    }

    /// <summary>One file's reading, and what it was read against.</summary>
    private sealed class TreeReading(Visible visible, List<MethodReading> methods)
    {
        public Visible Visible { get; } = visible;

        /// <summary>Every attributed method's reading, in source order.</summary>
        public IReadOnlyList<MethodReading> Methods { get; } = methods;

        public IReadOnlyList<LossModel> Losses { get; } = methods.Where(m => m.Loss is not null).Select(m => m.Loss!).ToList();

        public IReadOnlyList<HandWrittenGradient> HandWritten { get; } = methods.Where(m => m.Hand is not null).Select(m => m.Hand!).ToList();
    }

    /// <summary>One attributed method's reading: its loss, its hand-written gradient, or neither (not AutoGrad's attribute).</summary>
    private sealed class MethodReading(MethodSource source, LossModel? loss, HandWrittenGradient? hand)
    {
        public MethodSource Source { get; } = source;

        public LossModel? Loss { get; } = loss;

        public HandWrittenGradient? Hand { get; } = hand;

        /// <summary>
        /// This reading for the same code at <paramref name="to"/>'s position: itself if it did not move, its locations
        /// moved if they all lie inside the method, or null (read it again).
        /// </summary>
        public MethodReading? MovedTo(MethodSource to)
        {
            if (Source.Start == to.Start && Source.StartLine == to.StartLine) return this;
            var from = Source;
            if (!Locations().All(l => l is null || (l.FilePath == from.FilePath && from.Span.Contains(l.Span)))) return null;
            LocationInfo? Move(LocationInfo? l) => l is null ? null : from.Move(l, to);
            return new MethodReading(to, Loss is null ? null : LocationMover.Move(Loss, Move), Hand is null ? null : LocationMover.Move(Hand, Move));
        }

        private IEnumerable<LocationInfo?> Locations() =>
            (Loss is null ? Enumerable.Empty<LocationInfo?>() : LocationMover.Locations(Loss))
            .Concat(Hand is null ? Enumerable.Empty<LocationInfo?>() : LocationMover.Locations(Hand));
    }

    /// <summary>Where a method is, and what it is made of: its text, and its tokens (the text alone misses a #define elsewhere).</summary>
    private sealed class MethodSource(string filePath, string text, Fingerprint tokens, TextSpan span, LinePosition startLine)
    {
        public string FilePath { get; } = filePath;

        public string Text { get; } = text;

        public Fingerprint Tokens { get; } = tokens;

        public TextSpan Span { get; } = span;

        public int Start => Span.Start;

        public LinePosition StartLine { get; } = startLine;

        public static MethodSource Of(MethodDeclarationSyntax method)
        {
            var hash = new Fingerprint.Builder();
            foreach (var token in method.DescendantTokens())
            {
                hash.Add(token.RawKind);
                hash.Add(token.Text);
            }
            return new MethodSource(method.SyntaxTree.FilePath, method.ToString(), hash.Build(), method.Span, method.GetLocation().GetLineSpan().StartLinePosition);
        }

        public bool SameCode(MethodSource other) => Tokens.Equals(other.Tokens) && Text == other.Text;

        /// <summary>A location inside this method, at the same place inside the same code at <paramref name="to"/>.</summary>
        public LocationInfo Move(LocationInfo location, MethodSource to)
        {
            LinePosition MovePosition(LinePosition p) =>
                new(p.Line + to.StartLine.Line - StartLine.Line, p.Line == StartLine.Line ? p.Character + to.StartLine.Character - StartLine.Character : p.Character);
            return location with
            {
                Span = new TextSpan(location.Span.Start + to.Start - Start, location.Span.Length),
                LineSpan = new LinePositionSpan(MovePosition(location.LineSpan.Start), MovePosition(location.LineSpan.End)),
            };
        }
    }
}

/// <summary>Every source location a model holds, found and replaced in one place (a new located field belongs here).</summary>
internal static class LocationMover
{
    public static IEnumerable<LocationInfo?> Locations(LossModel loss) =>
        new[] { loss.Location }.Concat(loss.Diagnostics.Select(d => d.Location)).Concat(loss.NonSmooth.Select(n => n.Location));

    public static IEnumerable<LocationInfo?> Locations(HandWrittenGradient hand) =>
        new[] { hand.Location, hand.BodyProblem?.Location }.Concat(hand.Diagnostics.Select(d => d.Location));

    public static LossModel Move(LossModel loss, Func<LocationInfo?, LocationInfo?> move) => loss with
    {
        Location = move(loss.Location),
        Diagnostics = loss.Diagnostics.Select(d => d with { Location = move(d.Location) }).ToEquatableArray(),
        NonSmooth = loss.NonSmooth.Select(n => n with { Location = move(n.Location) }).ToEquatableArray(),
    };

    public static HandWrittenGradient Move(HandWrittenGradient hand, Func<LocationInfo?, LocationInfo?> move) => hand with
    {
        Location = move(hand.Location),
        BodyProblem = hand.BodyProblem is null ? null : hand.BodyProblem with { Location = move(hand.BodyProblem.Location) },
        Diagnostics = hand.Diagnostics.Select(d => d with { Location = move(d.Location) }).ToEquatableArray(),
    };
}

/// <summary>
/// What the code of one file can see of the compilation: the options, the references (the same
/// objects), the assembly name, and every file's declaration fingerprint, in order.
/// </summary>
internal sealed class Visible : IEquatable<Visible>
{
    private readonly CompilationOptions _options;
    private readonly ImmutableArray<MetadataReference> _references;
    private readonly string? _assemblyName;
    private readonly Fingerprint _declarations;

    private Visible(CompilationOptions options, ImmutableArray<MetadataReference> references, string? assemblyName, Fingerprint declarations)
    {
        _options = options;
        _references = references;
        _assemblyName = assemblyName;
        _declarations = declarations;
    }

    public static Visible Of(Compilation compilation, DeclarationFacts[] facts)
    {
        var hash = new Fingerprint.Builder();
        hash.Add(facts.Length);
        foreach (var fact in facts) hash.Add(fact.Declarations);
        return new Visible(compilation.Options, compilation.ExternalReferences, compilation.AssemblyName, hash.Build());
    }

    public bool Equals(Visible? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || !_declarations.Equals(other._declarations) || _assemblyName != other._assemblyName) return false;
        if (_references.Length != other._references.Length) return false;
        for (int i = 0; i < _references.Length; i++)
        {
            if (!ReferenceEquals(_references[i], other._references[i])) return false;
        }
        return ReferenceEquals(_options, other._options) || _options.Equals(other._options);
    }

    public override bool Equals(object? obj) => obj is Visible other && Equals(other);

    public override int GetHashCode() => _declarations.GetHashCode();
}

/// <summary>
/// What one file shows the rest of the compilation, read from syntax alone: a fingerprint of its
/// path, language version and its text outside method, accessor and top-level statement bodies (tokens only: trivia, comments and
/// layout do not count), the simple names of the attributes on its methods, and the names of its
/// using aliases (an alias can name an AutoGrad attribute).
/// </summary>
internal sealed class DeclarationFacts
{
    /// <summary>Attribute names that can mean AutoGrad's attributes, before any alias.</summary>
    private static readonly string[] AttributeNames = { "Loss", "LossAttribute", "GradientOf", "GradientOfAttribute" };

    private DeclarationFacts(Fingerprint declarations, string[] methodAttributeNames, string[] aliasNames)
    {
        Declarations = declarations;
        MethodAttributeNames = methodAttributeNames;
        AliasNames = aliasNames;
        NamesAutoGradAttribute = methodAttributeNames.Any(IsAutoGradAttributeName);
    }

    /// <summary>Whether a method of the file has an attribute named like one of AutoGrad's (aliases aside).</summary>
    public bool NamesAutoGradAttribute { get; }

    public static bool IsAutoGradAttributeName(string name) => Array.IndexOf(AttributeNames, name) >= 0;

    public Fingerprint Declarations { get; }

    public string[] MethodAttributeNames { get; }

    public string[] AliasNames { get; }

    public static DeclarationFacts Of(SyntaxTree tree)
    {
        var hash = new Fingerprint.Builder();
        hash.Add(tree.FilePath);
        // The same tokens can declare different things under another language version (records, say).
        hash.Add((int)tree.Options.Kind);
        hash.Add(tree.Options is CSharpParseOptions options ? (int)options.LanguageVersion : 0);
        var attributes = new HashSet<string>(StringComparer.Ordinal);
        var aliases = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in tree.GetRoot().DescendantNodesAndTokens(static n => !IsBody(n)))
        {
            if (item.IsToken)
            {
                var token = item.AsToken();
                hash.Add(token.RawKind);
                hash.Add(token.Text);
                continue;
            }
            var node = item.AsNode()!;
            if (IsBody(node))
            {
                // The body's contents are not seen from elsewhere; that there is one (and of which kind) is.
                hash.Add(-node.RawKind);
            }
            else if (node is MethodDeclarationSyntax method)
            {
                foreach (var attribute in method.AttributeLists.SelectMany(l => l.Attributes)) attributes.Add(SimpleName(attribute.Name));
            }
            else if (node is UsingDirectiveSyntax { Alias: { } alias })
            {
                aliases.Add(alias.Name.Identifier.ValueText);
            }
        }
        return new DeclarationFacts(hash.Build(), attributes.ToArray(), aliases.ToArray());
    }

    /// <summary>The nodes outside bodies (where every method declaration is).</summary>
    public static IEnumerable<SyntaxNode> DeclarationNodes(SyntaxNode root) => root.DescendantNodes(static n => !IsBody(n));

    /// <summary>The rightmost identifier of an attribute name: <c>Loss</c> for <c>global::AutoGrad.Loss</c>.</summary>
    public static string SimpleName(NameSyntax name) => name switch
    {
        QualifiedNameSyntax q => q.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
        SimpleNameSyntax s => s.Identifier.ValueText,
        _ => name.ToString(),
    };

    /// <summary>
    /// Code whose inside no other code can see: the body of a method, constructor, operator,
    /// accessor or expression-bodied member, and top-level statements. Field initializers, default
    /// values and attribute arguments are seen (constants), so they are not bodies.
    /// </summary>
    private static bool IsBody(SyntaxNode node) => node switch
    {
        BlockSyntax { Parent: BaseMethodDeclarationSyntax or AccessorDeclarationSyntax } => true,
        ArrowExpressionClauseSyntax { Parent: BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or BasePropertyDeclarationSyntax } => true,
        GlobalStatementSyntax => true,
        _ => false,
    };
}

/// <summary>A 128-bit fingerprint of a stream of values (two independent 64-bit multiply-rotate hashes).</summary>
internal readonly struct Fingerprint : IEquatable<Fingerprint>
{
    private readonly ulong _a;
    private readonly ulong _b;

    private Fingerprint(ulong a, ulong b)
    {
        _a = a;
        _b = b;
    }

    public bool Equals(Fingerprint other) => _a == other._a && _b == other._b;

    public override bool Equals(object? obj) => obj is Fingerprint other && Equals(other);

    public override int GetHashCode() => unchecked((int)_a ^ (int)(_b >> 32));

    public sealed class Builder
    {
        private ulong _a = 0x243F6A8885A308D3;
        private ulong _b = 0x13198A2E03707344;
        private long _length;

        public void Add(int value)
        {
            unchecked
            {
                Mix((ulong)(uint)value | 0x1_0000_0000UL);
            }
        }

        public void Add(string text)
        {
            Add(text.Length);
            foreach (char c in text) Mix(c);
        }

        public void Add(Fingerprint value)
        {
            Mix(value._a);
            Mix(value._b);
        }

        public Fingerprint Build() => new(Finish(_a ^ (ulong)_length), Finish(_b + (ulong)_length));

        private void Mix(ulong value)
        {
            unchecked
            {
                _length++;
                _a = Rotate((_a ^ value) * 0x9E3779B97F4A7C15UL, 29) * 0xBF58476D1CE4E5B9UL;
                _b = Rotate((_b + value) * 0xC2B2AE3D27D4EB4FUL, 31) ^ (_b >> 17);
            }
        }

        private static ulong Rotate(ulong x, int r) => (x << r) | (x >> (64 - r));

        private static ulong Finish(ulong x)
        {
            unchecked
            {
                x ^= x >> 33;
                x *= 0xFF51AFD7ED558CCDUL;
                x ^= x >> 33;
                x *= 0xC4CEB9FE1A85EC53UL;
                return x ^ (x >> 33);
            }
        }
    }
}
