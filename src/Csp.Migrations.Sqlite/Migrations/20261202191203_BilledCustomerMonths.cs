using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class BilledCustomerMonths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "Subscriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "BilledCustomerMonths",
                columns: table => new
                {
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Fingerprint = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Lines = table.Column<int>(type: "INTEGER", nullable: false),
                    BilledAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BilledCustomerMonths", x => new { x.PartnerId, x.Month, x.CustomerId });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BilledCustomerMonths");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "Subscriptions");
        }
    }
}
