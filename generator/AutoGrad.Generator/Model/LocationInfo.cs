using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AutoGrad.Generator.Model;

/// <summary>A source location that holds no syntax tree, so models that carry it stay cacheable.</summary>
/// <param name="FilePath">The file.</param>
/// <param name="Span">Character span.</param>
/// <param name="LineSpan">Line and column span.</param>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

    public static LocationInfo? From(Location location) =>
        location.SourceTree is null ? null : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}
