using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DecimalReconQuantities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<decimal>(
                name: "ExpectedQuantity",
                table: "ReconciliationDifferences",
                type: "numeric(19,6)",
                precision: 19,
                scale: 6,
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);

            migrationBuilder.AlterColumn<decimal>(
                name: "BilledQuantity",
                table: "ReconciliationDifferences",
                type: "numeric(19,6)",
                precision: 19,
                scale: 6,
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "ExpectedQuantity",
                table: "ReconciliationDifferences",
                type: "integer",
                nullable: true,
                oldClrType: typeof(decimal),
                oldType: "numeric(19,6)",
                oldPrecision: 19,
                oldScale: 6,
                oldNullable: true);

            migrationBuilder.AlterColumn<int>(
                name: "BilledQuantity",
                table: "ReconciliationDifferences",
                type: "integer",
                nullable: true,
                oldClrType: typeof(decimal),
                oldType: "numeric(19,6)",
                oldPrecision: 19,
                oldScale: 6,
                oldNullable: true);
        }
    }
}
