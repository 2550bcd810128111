using System;
using System.Globalization;
using System.Linq;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Emit;

/// <summary>The three forms of a kernel body: 256-bit lanes, 128-bit lanes, and one scalar at a time.</summary>
internal enum KMode
{
    V256,
    V128,
    Scalar,
}

/// <summary>
/// Prints the instructions of a <see cref="BatchKernel"/> as C# for one element type and one <see cref="KMode"/>.
/// Every instruction is one local (<c>__t7</c>); parameters are locals named as the parameter; a uniform or row value
/// used by vector code is broadcast once per loop into <c>__v_</c> + its name; literals are inline.
/// The same text works for all three modes because <c>VectorMath</c> and <c>KernelMath</c> overload each
/// function for <c>Vector256</c>, <c>Vector128</c> and the scalar type.
/// </summary>
internal sealed class BatchCode
{
    public const string VectorMath = "global::AutoGrad.Simd.VectorMath.";
    public const string KernelMath = "global::AutoGrad.Internal.KernelMath.";
    public const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe.";
    public const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal.";

    private readonly BatchKernel _kernel;
    private readonly LossModel _model;

    public BatchCode(BatchKernel kernel, LossModel model, bool isFloat)
    {
        _kernel = kernel;
        _model = model;
        IsFloat = isFloat;
    }

    public bool IsFloat { get; }

    /// <summary>float or double.</summary>
    public string T => IsFloat ? "float" : "double";

    /// <summary>Single or Double, for method names.</summary>
    public string TypeName => IsFloat ? "Single" : "Double";

    public static string VectorClass(KMode mode) =>
        mode == KMode.V256 ? "global::System.Runtime.Intrinsics.Vector256" : "global::System.Runtime.Intrinsics.Vector128";

    public string VectorType(KMode mode) => VectorClass(mode) + "<" + T + ">";

    /// <summary>The type of a value in a mode.</summary>
    public string TypeIn(KMode mode) => mode == KMode.Scalar ? T : VectorType(mode);

    /// <summary>Lanes per vector.</summary>
    public int Lanes(KMode mode) => (mode == KMode.V256 ? 32 : mode == KMode.V128 ? 16 : 4) / (IsFloat ? 4 : 8);

    /// <summary>A number of type T as C# source, invariant culture, round-trippable (<c>0.5f</c>, <c>0.5</c>).</summary>
    public string Literal(double value)
    {
        if (IsFloat)
        {
            float f = (float)value;
            if (float.IsPositiveInfinity(f)) return "float.PositiveInfinity";
            if (float.IsNegativeInfinity(f)) return "float.NegativeInfinity";
            if (float.IsNaN(f)) return "float.NaN";
            return f.ToString("R", CultureInfo.InvariantCulture) + "f";
        }
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        if (double.IsNaN(value)) return "double.NaN";
        string s = value.ToString("R", CultureInfo.InvariantCulture);
        return s.IndexOfAny(new[] { '.', 'E', 'e', 'N', 'I' }) < 0 ? s + ".0" : s;
    }

    /// <summary>The name of a parameter's value (its identifier).</summary>
    public string ParameterName(int index) => _model.Parameters[index].Identifier;

    /// <summary>The local holding instruction <paramref name="id"/> (a literal for a constant).</summary>
    public string Name(int id)
    {
        var instr = _kernel[id];
        return instr.Op switch
        {
            KOp.Const => Literal(instr.Value),
            KOp.Param => ParameterName(instr.Index),
            _ => "__t" + id.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The local holding the broadcast of a uniform or row value in vector code.</summary>
    public string BroadcastName(int id) => "__v_" + Name(id).TrimStart('_', '@');

    /// <summary>How an operand reads in code of the given mode at the given level.</summary>
    public string Operand(int id, KMode mode, KLevel context)
    {
        if (mode == KMode.Scalar || context != KLevel.Element || _kernel.LevelOf(id) == KLevel.Element) return Name(id);
        if (_kernel[id].Op == KOp.Const) return VectorClass(mode) + ".Create(" + Literal(_kernel[id].Value) + ")";
        return BroadcastName(id);
    }

    /// <summary>The defining expression of an instruction (not a parameter or a reduction).</summary>
    public string Expression(int id, KMode mode)
    {
        var instr = _kernel[id];
        var context = _kernel.LevelOf(id);
        if (context != KLevel.Element) mode = KMode.Scalar;
        string A() => Operand(instr.A, mode, context);
        string B() => Operand(instr.B, mode, context);
        string C() => Operand(instr.C, mode, context);
        string D() => Operand(instr.D, mode, context);
        switch (instr.Op)
        {
            case KOp.Const: return Literal(instr.Value);
            case KOp.ClassCount: return IsFloat ? "(float)__classes" : "(double)__classes";
            case KOp.Add: return A() + " + " + B();
            case KOp.Sub: return A() + " - " + B();
            case KOp.Mul: return A() + " * " + B();
            case KOp.Div: return A() + " / " + B();
            case KOp.Neg: return "-" + A();
            case KOp.Exp: return VectorMath + "Exp(" + A() + ")";
            case KOp.Log: return VectorMath + "Log(" + A() + ")";
            case KOp.Log1P: return VectorMath + "Log1P(" + A() + ")";
            case KOp.ExpM1: return VectorMath + "ExpM1(" + A() + ")";
            case KOp.Tanh: return VectorMath + "Tanh(" + A() + ")";
            case KOp.Sign: return VectorMath + "Sign(" + A() + ")";
            case KOp.Sqrt: return KernelMath + "Sqrt(" + A() + ")";
            case KOp.Abs: return KernelMath + "Abs(" + A() + ")";
            case KOp.Pow: return KernelMath + "Pow(" + A() + ", " + B() + ")";
            case KOp.Max: return KernelMath + "Max(" + A() + ", " + B() + ")";
            case KOp.Min: return KernelMath + "Min(" + A() + ", " + B() + ")";
            case KOp.MaxZero: return KernelMath + "MaxZero(" + A() + ")";
            case KOp.ExpNegAbs: return KernelMath + "ExpNegAbs(" + A() + ")";
            case KOp.Log1PUnit: return KernelMath + "Log1PUnit(" + A() + ")";
            case KOp.SigmoidFromExp: return KernelMath + "SigmoidFromExp(" + A() + ", " + B() + ")";
            case KOp.FiniteOrZero: return KernelMath + "FiniteOrZero(" + A() + ")";
            case KOp.Compare:
            {
                string mask = Mask(instr, A, B);
                return mode == KMode.Scalar
                    ? KernelMath + "Select(" + mask + ", " + Literal(1) + ", " + Literal(0) + ")"
                    : mask + " & " + VectorType(mode) + ".One";
            }
            case KOp.Select:
                return KernelMath + "Select(" + Mask(instr, A, B) + ", " + C() + ", " + D() + ")";
            default:
                throw new InvalidOperationException("no expression for " + instr.Op);
        }
    }

    private static string Mask(KInstr instr, Func<string> a, Func<string> b) => instr.Cmp switch
    {
        KCmp.NonZero => KernelMath + "NonZero(" + a() + ")",
        _ => KernelMath + instr.Cmp + "(" + a() + ", " + b() + ")",
    };

    /// <summary>
    /// A value of a span at an element offset: a whole Vector256; in the Vector128 loop, which also takes the
    /// last partial vector, the lanes before <paramref name="end"/> (the rest padded with 0); one element for a row value.
    /// </summary>
    public string Load(string reference, string offset, string end, KMode mode) => mode switch
    {
        KMode.Scalar => Unsafe + "Add(ref " + reference + ", " + offset + ")",
        KMode.V128 => KernelMath + "LoadRest(ref " + reference + ", " + offset + ", " + end + ")",
        _ => VectorClass(mode) + ".LoadUnsafe(ref " + reference + ", (nuint)" + offset + ")",
    };

    /// <summary>A statement storing a value at an element offset (in the Vector128 loop, only the lanes before <paramref name="end"/>).</summary>
    public string Store(string value, string reference, string offset, string end, KMode mode) => mode switch
    {
        KMode.Scalar => Unsafe + "Add(ref " + reference + ", " + offset + ") = " + value + ";",
        KMode.V128 => KernelMath + "StoreRest(" + value + ", ref " + reference + ", " + offset + ", " + end + ");",
        _ => VectorClass(mode) + ".StoreUnsafe(" + value + ", ref " + reference + ", (nuint)" + offset + ");",
    };

    /// <summary>A value about to enter an accumulator: in the Vector128 loop, its lanes past <paramref name="end"/> set to <paramref name="padding"/>.</summary>
    public string Keep(string value, string offset, string end, double padding, KMode mode) =>
        mode == KMode.V128 ? KernelMath + "KeepRest(" + value + ", " + offset + ", " + end + ", " + Literal(padding) + ")" : value;

    /// <summary>The instructions' operands that are uniform or row values, i.e. need a broadcast in vector code.</summary>
    public System.Collections.Generic.IEnumerable<int> Broadcasts(System.Collections.Generic.IEnumerable<int> elementInstructions) =>
        elementInstructions
            .SelectMany(id => _kernel[id].Operands)
            .Where(o => _kernel.LevelOf(o) != KLevel.Element && _kernel[o].Op != KOp.Const)
            .Distinct()
            .OrderBy(o => o);
}
