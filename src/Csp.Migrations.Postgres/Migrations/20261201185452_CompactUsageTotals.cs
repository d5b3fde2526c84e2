using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CompactUsageTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The totals keep their sums; each import's customers and subscriptions are numbered, and each import learns its
            // first and last usage day.
            migrationBuilder.AddColumn<DateOnly>(name: "FirstUsageDate", table: "UsageImports", type: "date", nullable: true);
            migrationBuilder.AddColumn<DateOnly>(name: "LastUsageDate", table: "UsageImports", type: "date", nullable: true);
            migrationBuilder.Sql("""
                UPDATE "UsageImports" AS i SET "FirstUsageDate" = d.first, "LastUsageDate" = d.last
                FROM (SELECT "UsageImportId", min("UsageDate") AS first, max("UsageDate") AS last FROM "DailyUsageTotals" GROUP BY "UsageImportId") AS d
                WHERE d."UsageImportId" = i."Id";
                """);

            migrationBuilder.CreateTable(
                name: "UsageImportSubscriptions",
                columns: table => new
                {
                    UsageImportId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerTenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageImportSubscriptions", x => new { x.UsageImportId, x.Number });
                });
            migrationBuilder.Sql("""
                INSERT INTO "UsageImportSubscriptions" ("UsageImportId", "Number", "PartnerId", "CustomerTenantId", "SubscriptionId")
                SELECT "UsageImportId", row_number() OVER (PARTITION BY "UsageImportId" ORDER BY "CustomerTenantId", "SubscriptionId"), "PartnerId", "CustomerTenantId", "SubscriptionId"
                FROM (SELECT DISTINCT "UsageImportId", "PartnerId", "CustomerTenantId", "SubscriptionId" FROM "DailyUsageTotals") AS s;
                """);

            migrationBuilder.DropIndex(name: "IX_DailyUsageTotals_PartnerId_UsageDate", table: "DailyUsageTotals");
            migrationBuilder.DropPrimaryKey(name: "PK_DailyUsageTotals", table: "DailyUsageTotals");
            migrationBuilder.RenameTable(name: "DailyUsageTotals", newName: "DailyUsageTotalsBefore");
            migrationBuilder.CreateTable(
                name: "DailyUsageTotals",
                columns: table => new
                {
                    UsageImportId = table.Column<Guid>(type: "uuid", nullable: false),
                    SubscriptionNumber = table.Column<int>(type: "integer", nullable: false),
                    UsageDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Quantity = table.Column<decimal>(type: "numeric(19,6)", precision: 19, scale: 6, nullable: false),
                    BillingPreTaxTotal = table.Column<decimal>(type: "numeric(19,6)", precision: 19, scale: 6, nullable: false),
                    Rows = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyUsageTotals", x => new { x.UsageImportId, x.SubscriptionNumber, x.UsageDate });
                });
            migrationBuilder.Sql("""
                INSERT INTO "DailyUsageTotals" ("UsageImportId", "SubscriptionNumber", "UsageDate", "Quantity", "BillingPreTaxTotal", "Rows")
                SELECT t."UsageImportId", s."Number", t."UsageDate", t."Quantity", t."BillingPreTaxTotal", t."Rows"
                FROM "DailyUsageTotalsBefore" AS t
                JOIN "UsageImportSubscriptions" AS s ON s."UsageImportId" = t."UsageImportId" AND s."CustomerTenantId" = t."CustomerTenantId" AND s."SubscriptionId" = t."SubscriptionId"
                ORDER BY 1, 2, 3;
                """);
            migrationBuilder.DropTable(name: "DailyUsageTotalsBefore");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameTable(name: "DailyUsageTotals", newName: "DailyUsageTotalsCompact");
            migrationBuilder.DropPrimaryKey(name: "PK_DailyUsageTotals", table: "DailyUsageTotalsCompact");
            migrationBuilder.CreateTable(
                name: "DailyUsageTotals",
                columns: table => new
                {
                    UsageImportId = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerTenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    UsageDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Quantity = table.Column<decimal>(type: "numeric(19,6)", precision: 19, scale: 6, nullable: false),
                    BillingPreTaxTotal = table.Column<decimal>(type: "numeric(19,6)", precision: 19, scale: 6, nullable: false),
                    Rows = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyUsageTotals", x => new { x.UsageImportId, x.CustomerTenantId, x.SubscriptionId, x.UsageDate });
                });
            migrationBuilder.Sql("""
                INSERT INTO "DailyUsageTotals" ("UsageImportId", "PartnerId", "CustomerTenantId", "SubscriptionId", "UsageDate", "Quantity", "BillingPreTaxTotal", "Rows")
                SELECT t."UsageImportId", s."PartnerId", s."CustomerTenantId", s."SubscriptionId", t."UsageDate", t."Quantity", t."BillingPreTaxTotal", t."Rows"
                FROM "DailyUsageTotalsCompact" AS t
                JOIN "UsageImportSubscriptions" AS s ON s."UsageImportId" = t."UsageImportId" AND s."Number" = t."SubscriptionNumber";
                """);
            migrationBuilder.CreateIndex(name: "IX_DailyUsageTotals_PartnerId_UsageDate", table: "DailyUsageTotals", columns: new[] { "PartnerId", "UsageDate" });
            migrationBuilder.DropTable(name: "DailyUsageTotalsCompact");
            migrationBuilder.DropTable(name: "UsageImportSubscriptions");
            migrationBuilder.DropColumn(name: "FirstUsageDate", table: "UsageImports");
            migrationBuilder.DropColumn(name: "LastUsageDate", table: "UsageImports");
        }
    }
}
