using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class UsageTotalsWithoutForeignKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_DailyUsageTotals_UsageImports_UsageImportId",
                table: "DailyUsageTotals");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddForeignKey(
                name: "FK_DailyUsageTotals_UsageImports_UsageImportId",
                table: "DailyUsageTotals",
                column: "UsageImportId",
                principalTable: "UsageImports",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
