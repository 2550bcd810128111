using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AutoGrad.Samples.Plot;

/// <summary>A line to draw: its legend name, colour, dash pattern (null for solid) and points.</summary>
public sealed record Series(string Name, string Color, string? Dash, IReadOnlyList<(double X, double Y)> Points);

/// <summary>One chart: a title, axis labels and its lines.</summary>
public sealed record Panel(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series);

/// <summary>
/// Writes line charts as a self-contained SVG: panels side by side, axes with round ticks, a
/// legend per panel. The output depends only on the data (invariant culture, fixed decimals), so
/// the same run writes the same bytes.
/// </summary>
public static class SvgPlot
{
    private const int PanelWidth = 440;
    private const int PanelHeight = 320;
    private const int Left = 62, Right = 16, Top = 46, Bottom = 52;

    public static string Render(string title, IReadOnlyList<Panel> panels)
    {
        int width = PanelWidth * panels.Count;
        int height = PanelHeight + 34;
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        svg.Append($"  <rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append($"  <text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{Escape(title)}</text>\n");
        for (int i = 0; i < panels.Count; i++)
        {
            RenderPanel(svg, panels[i], i * PanelWidth, 34);
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void RenderPanel(StringBuilder svg, Panel panel, int offsetX, int offsetY)
    {
        var points = panel.Series.SelectMany(s => s.Points).ToList();
        double xMax = NiceCeiling(points.Max(p => p.X));
        double yMax = NiceCeiling(points.Max(p => p.Y));
        double plotWidth = PanelWidth - Left - Right;
        double plotHeight = PanelHeight - Top - Bottom;
        double X(double x) => offsetX + Left + plotWidth * x / xMax;
        double Y(double y) => offsetY + Top + plotHeight * (1 - y / yMax);

        svg.Append($"  <g>\n");
        svg.Append($"    <text x=\"{N(offsetX + Left + plotWidth / 2)}\" y=\"{offsetY + 24}\" text-anchor=\"middle\" font-size=\"13\">{Escape(panel.Title)}</text>\n");

        // Grid and ticks.
        foreach (double t in Ticks(xMax))
        {
            svg.Append($"    <line x1=\"{N(X(t))}\" y1=\"{N(Y(0))}\" x2=\"{N(X(t))}\" y2=\"{N(Y(yMax))}\" stroke=\"#e6e6e6\"/>\n");
            svg.Append($"    <text x=\"{N(X(t))}\" y=\"{N(Y(0) + 16)}\" text-anchor=\"middle\">{Label(t)}</text>\n");
        }
        foreach (double t in Ticks(yMax))
        {
            svg.Append($"    <line x1=\"{N(X(0))}\" y1=\"{N(Y(t))}\" x2=\"{N(X(xMax))}\" y2=\"{N(Y(t))}\" stroke=\"#e6e6e6\"/>\n");
            svg.Append($"    <text x=\"{N(X(0) - 6)}\" y=\"{N(Y(t) + 4)}\" text-anchor=\"end\">{Label(t)}</text>\n");
        }
        svg.Append($"    <polyline points=\"{N(X(0))},{N(Y(yMax))} {N(X(0))},{N(Y(0))} {N(X(xMax))},{N(Y(0))}\" fill=\"none\" stroke=\"#333\"/>\n");
        svg.Append($"    <text x=\"{N(offsetX + Left + plotWidth / 2)}\" y=\"{N(Y(0) + 36)}\" text-anchor=\"middle\">{Escape(panel.XLabel)}</text>\n");
        double yLabelX = offsetX + 16, yLabelY = offsetY + Top + plotHeight / 2;
        svg.Append($"    <text x=\"{N(yLabelX)}\" y=\"{N(yLabelY)}\" text-anchor=\"middle\" transform=\"rotate(-90 {N(yLabelX)} {N(yLabelY)})\">{Escape(panel.YLabel)}</text>\n");

        // The lines.
        foreach (var series in panel.Series)
        {
            string path = string.Join(" ", series.Points.Select(p => N(X(p.X)) + "," + N(Y(p.Y))));
            string dash = series.Dash is null ? "" : $" stroke-dasharray=\"{series.Dash}\"";
            svg.Append($"    <polyline points=\"{path}\" fill=\"none\" stroke=\"{series.Color}\" stroke-width=\"2\"{dash}/>\n");
        }

        // The legend, top right.
        double legendX = X(xMax) - 170, legendY = Y(yMax) + 8;
        for (int i = 0; i < panel.Series.Count; i++)
        {
            var series = panel.Series[i];
            double y = legendY + 18 * i;
            string dash = series.Dash is null ? "" : $" stroke-dasharray=\"{series.Dash}\"";
            svg.Append($"    <line x1=\"{N(legendX)}\" y1=\"{N(y + 6)}\" x2=\"{N(legendX + 24)}\" y2=\"{N(y + 6)}\" stroke=\"{series.Color}\" stroke-width=\"2\"{dash}/>\n");
            svg.Append($"    <text x=\"{N(legendX + 30)}\" y=\"{N(y + 10)}\">{Escape(series.Name)}</text>\n");
        }
        svg.Append("  </g>\n");
    }

    /// <summary>A round tick step giving at most six intervals up to <paramref name="value"/>.</summary>
    private static double Step(double value)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 0.1, 0.2, 0.25, 0.5, 1, 2 }.Select(s => s * power).First(s => value / s <= 6.0001);
    }

    /// <summary>The axis end: <paramref name="value"/> rounded up to a whole number of tick steps.</summary>
    private static double NiceCeiling(double value) =>
        value > 0 ? Math.Ceiling(value / Step(value) - 1e-9) * Step(value) : 1;

    private static IEnumerable<double> Ticks(double max)
    {
        double step = Step(max);
        for (int i = 0; i * step <= max * (1 + 1e-9); i++) yield return i * step;
    }

    private static string Label(double value) => (Math.Round(value, 6) + 0.0).ToString("0.###", CultureInfo.InvariantCulture);

    private static string N(double value) => (Math.Round(value, 1) + 0.0).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
