using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Csp.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Reconciliations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EndOfTermAfter",
                table: "SubscriptionEvents",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StatusAfter",
                table: "SubscriptionEvents",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Reconciliations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    FileName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    FileSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    ImportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    BilledLines = table.Column<int>(type: "integer", nullable: false),
                    ExpectedLines = table.Column<int>(type: "integer", nullable: false),
                    Matched = table.Column<int>(type: "integer", nullable: false),
                    IsZeroDiscrepancy = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Reconciliations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Reconciliations_Partners_PartnerId",
                        column: x => x.PartnerId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReconciliationDifferences",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ReconciliationId = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    FileLine = table.Column<long>(type: "bigint", nullable: true),
                    SubscriptionId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ChargeType = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ChargeStartDate = table.Column<DateOnly>(type: "date", nullable: false),
                    ChargeEndDate = table.Column<DateOnly>(type: "date", nullable: false),
                    ExpectedQuantity = table.Column<int>(type: "integer", nullable: true),
                    BilledQuantity = table.Column<int>(type: "integer", nullable: true),
                    ExpectedSubtotal = table.Column<decimal>(type: "numeric(19,6)", precision: 19, scale: 6, nullable: true),
                    BilledSubtotal = table.Column<decimal>(type: "numeric(19,6)", precision: 19, scale: 6, nullable: true),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Detail = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReconciliationDifferences", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReconciliationDifferences_Reconciliations_ReconciliationId",
                        column: x => x.ReconciliationId,
                        principalTable: "Reconciliations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationDifferences_ReconciliationId_Kind_Id",
                table: "ReconciliationDifferences",
                columns: new[] { "ReconciliationId", "Kind", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Reconciliations_PartnerId_FileSha256",
                table: "Reconciliations",
                columns: new[] { "PartnerId", "FileSha256" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReconciliationDifferences");

            migrationBuilder.DropTable(
                name: "Reconciliations");

            migrationBuilder.DropColumn(
                name: "EndOfTermAfter",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "StatusAfter",
                table: "SubscriptionEvents");
        }
    }
}
