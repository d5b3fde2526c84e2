using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.PartnerCenter.Simulator.Data.Migrations
{
    /// <inheritdoc />
    public partial class UsageSpikes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UsageSpikes",
                columns: table => new
                {
                    SubscriptionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UsageDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Factor = table.Column<decimal>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageSpikes", x => new { x.SubscriptionId, x.UsageDate });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageSpikes");
        }
    }
}
