using System;
using System.Linq;
using AutoGrad.Generator.Helpers;

namespace AutoGrad.Generator.IR;

/// <summary>
/// A finished expression: a flat array of nodes, children before parents, each stored once,
/// and the ids of its roots. Two DAGs are equal when their arrays are equal, which is what the
/// incremental pipeline caches on.
/// </summary>
internal sealed record ExprDag(EquatableArray<Node> Nodes, EquatableArray<int> Roots)
{
    public Node this[int id] => Nodes[id];

    public int Count => Nodes.Count;

    public int Root => Roots[0];

    public override string ToString() =>
        string.Join("; ", Enumerable.Range(0, Nodes.Count).Select(i => $"{i}={Nodes[i]}")) + " roots " + string.Join(",", Roots);
}
