using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.Migrations.Postgres.Migrations
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
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "BilledCustomerMonths",
                columns: table => new
                {
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Fingerprint = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Lines = table.Column<int>(type: "integer", nullable: false),
                    BilledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
