using System;
using AutoGrad.Generator.Helpers;

namespace AutoGrad.Generator.IR;

/// <summary>
/// One node of the flat expression DAG: an operator, its operands (ids of earlier nodes)
/// and, for leaves, a constant value or a parameter index. Immutable, with value equality.
/// </summary>
internal readonly struct Node : IEquatable<Node>
{
    public Node(Op op, Shape shape, EquatableArray<int> args, double value = 0, int index = -1)
    {
        Op = op;
        Shape = shape;
        Args = args;
        Value = value;
        Index = index;
    }

    /// <summary>The operator.</summary>
    public Op Op { get; }

    /// <summary>Scalar, or a vector over the class dimension.</summary>
    public Shape Shape { get; }

    /// <summary>Operand ids, all smaller than this node's id.</summary>
    public EquatableArray<int> Args { get; }

    /// <summary>The value of a <see cref="Op.Const"/>.</summary>
    public double Value { get; }

    /// <summary>The parameter index of a <see cref="Op.Param"/>.</summary>
    public int Index { get; }

    public int Arity => Args.Count;

    public int this[int i] => Args[i];

    public bool IsConst => Op == Op.Const;

    public bool Equals(Node other) =>
        Op == other.Op && Shape == other.Shape && Index == other.Index
        && Value.Equals(other.Value) && Args.Equals(other.Args);

    public override bool Equals(object? obj) => obj is Node n && Equals(n);

    public override int GetHashCode()
    {
        unchecked
        {
            int h = (int)Op * 397 ^ (int)Shape;
            h = h * 31 + Index;
            h = h * 31 + Value.GetHashCode();
            return h * 31 + Args.GetHashCode();
        }
    }

    public override string ToString() => Op switch
    {
        Op.Const => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Op.Param => "p" + Index,
        _ => Op + "(" + string.Join(", ", Args) + ")",
    };
}
