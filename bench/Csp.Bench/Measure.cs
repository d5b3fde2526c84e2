namespace Csp.Bench;

/// <summary>What every benchmark shares: a file read once before it is timed, and the median of the runs.</summary>
public static class Measure
{
    /// <summary>Reads the file once, so that every run, ours and DuckDB's, reads it from the page cache.</summary>
    public static void WarmPageCache(string path)
    {
        using var file = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        while (file.Read(buffer, 0, buffer.Length) > 0)
        {
        }
    }

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
