using System;
using System.Globalization;
using System.IO;

namespace AutoGrad.Samples.Sections;

/// <summary>Small helpers for the sample's printed sections: headings and invariant-culture numbers.</summary>
internal static class Report
{
    public static void Heading(TextWriter output, string title)
    {
        output.WriteLine();
        output.WriteLine(title);
        output.WriteLine(new string('-', title.Length));
    }

    /// <summary>A number with <paramref name="decimals"/> decimals, invariant culture, no negative zero.</summary>
    public static string F(double value, int decimals = 3) =>
        (Math.Round(value, decimals) + 0.0).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A number in scientific notation with two significant decimals (for errors).</summary>
    public static string E(double value) => value == 0 ? "0" : value.ToString("0.0E+00", CultureInfo.InvariantCulture);

    /// <summary>A vector as <c>[a b c]</c> with <paramref name="decimals"/> decimals.</summary>
    public static string V(ReadOnlySpan<double> values, int decimals = 1)
    {
        var parts = new string[values.Length];
        for (int i = 0; i < values.Length; i++) parts[i] = F(values[i], decimals);
        return "[" + string.Join(" ", parts) + "]";
    }
}
