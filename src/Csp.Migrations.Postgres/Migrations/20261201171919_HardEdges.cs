using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class HardEdges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Warnings",
                table: "UsageImports",
                type: "character varying(4096)",
                maxLength: 4096,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "OrderId",
                table: "Subscriptions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Warnings",
                table: "UsageImports");

            migrationBuilder.DropColumn(
                name: "OrderId",
                table: "Subscriptions");
        }
    }
}
