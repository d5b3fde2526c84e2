using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SalesTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SalesTotals",
                columns: table => new
                {
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProductId = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    ProductName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Lines = table.Column<int>(type: "INTEGER", nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 19, scale: 6, nullable: false),
                    Cost = table.Column<decimal>(type: "TEXT", precision: 19, scale: 6, nullable: false),
                    ResoldLines = table.Column<int>(type: "INTEGER", nullable: false),
                    ResoldRevenue = table.Column<decimal>(type: "TEXT", precision: 19, scale: 6, nullable: false),
                    ResoldCost = table.Column<decimal>(type: "TEXT", precision: 19, scale: 6, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SalesTotals", x => new { x.PartnerId, x.Month, x.Kind, x.CustomerId, x.ProductId, x.Currency });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SalesTotals");
        }
    }
}
