using System.ComponentModel.DataAnnotations;

namespace Csp.Web.Data;

/// <summary>The databases the platform runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded, in the data folder: the default, and the demo's.</summary>
    Sqlite,

    /// <summary>The production store.</summary>
    Postgres,
}

/// <summary>
/// Which database the host uses (section <c>Database</c>): <see cref="Provider"/> with the connection string
/// <c>ConnectionStrings:Commerce</c>; without one, SQLite lives in <see cref="DataDirectory"/> as <c>csp.db</c>.
/// Environment variables override both: <c>Database__Provider</c>, <c>ConnectionStrings__Commerce</c>.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    [EnumDataType(typeof(DatabaseProvider))]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>The data folder (SQLite's file, the demo simulator's), relative to the content root.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";
}
