using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Text;

namespace AutoGrad;

/// <summary>
/// The symbolic result of differentiating a <see cref="LossAttribute">[Loss]</see> method: the loss as the
/// generated code computes it and the simplified gradient formula for every differentiated parameter.
/// The generator exposes one as <c>static Derivation MDerivation { get; }</c> for each loss <c>M</c>.
/// </summary>
/// <remarks>
/// Formulas are C# expressions over the <see cref="Fn"/> names, with single spaces around binary operators
/// and minimal parentheses, for example <c>Sigmoid(z) - y</c>.
/// </remarks>
public sealed class Derivation
{
    private readonly string _text;

    /// <summary>Initializes a new derivation.</summary>
    /// <param name="loss">The loss expression, as the generated code computes it (after stabilization).</param>
    /// <param name="gradients">
    /// Pairs of parameter name and gradient formula, in the order to keep (normally declaration order).
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/>, <paramref name="gradients"/>, or a key or value in it is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A parameter name occurs more than once.</exception>
    public Derivation(string loss, IEnumerable<KeyValuePair<string, string>> gradients)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(gradients);

        var ordered = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        var text = new StringBuilder("L = ").Append(loss);
        foreach (var (parameter, formula) in gradients)
        {
            if (parameter is null || formula is null)
            {
                throw new ArgumentNullException(nameof(gradients), "Gradient parameter names and formulas must not be null.");
            }

            if (!ordered.TryAdd(parameter, formula))
            {
                throw new ArgumentException($"The parameter '{parameter}' has more than one gradient.", nameof(gradients));
            }

            text.Append("\n∂L/∂").Append(parameter).Append(" = ").Append(formula);
        }

        Loss = loss;
        Gradients = new ReadOnlyDictionary<string, string>(ordered);
        _text = text.ToString();
    }

    /// <summary>Gets the loss expression as the generated code computes it (after stabilization).</summary>
    public string Loss { get; }

    /// <summary>
    /// Gets the simplified gradient formula for each differentiated parameter, keyed by parameter name;
    /// enumeration follows the order given to the constructor.
    /// </summary>
    public IReadOnlyDictionary<string, string> Gradients { get; }

    /// <summary>
    /// Formats the derivation as lines joined by <c>"\n"</c> (no trailing newline): first <c>L = &lt;loss&gt;</c>,
    /// then one <c>∂L/∂&lt;parameter&gt; = &lt;formula&gt;</c> line per gradient, for example
    /// <c>∂L/∂z = Sigmoid(z) - y</c>.
    /// </summary>
    /// <returns>The formatted derivation.</returns>
    public override string ToString() => _text;
}
