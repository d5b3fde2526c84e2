using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PartnerCenterSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PartnerCenterChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AuditKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OperationDate = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    OperationType = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SubscriptionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    IsDrift = table.Column<bool>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    FoundAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PartnerCenterChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PartnerCenterChanges_Partners_PartnerId",
                        column: x => x.PartnerId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PartnerCenterSyncs",
                columns: table => new
                {
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ImportedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    AppliedThrough = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    LastRunAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PartnerCenterSyncs", x => x.PartnerId);
                    table.ForeignKey(
                        name: "FK_PartnerCenterSyncs_Partners_PartnerId",
                        column: x => x.PartnerId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PartnerCenterChanges_PartnerId_AuditKey",
                table: "PartnerCenterChanges",
                columns: new[] { "PartnerId", "AuditKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PartnerCenterChanges_PartnerId_IsDrift_Id",
                table: "PartnerCenterChanges",
                columns: new[] { "PartnerId", "IsDrift", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PartnerCenterChanges");

            migrationBuilder.DropTable(
                name: "PartnerCenterSyncs");
        }
    }
}
