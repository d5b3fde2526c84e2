using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CompactUsageTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The totals keep their sums; each import's customers and subscriptions are numbered, and each import learns its
            // first and last usage day. The totals' table has no rowid: its key is the table (written in the key's order,
            // each row lands at its end), with no second B-tree to keep.
            migrationBuilder.AddColumn<DateOnly>(name: "FirstUsageDate", table: "UsageImports", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<DateOnly>(name: "LastUsageDate", table: "UsageImports", type: "TEXT", nullable: true);
            migrationBuilder.Sql("""
                UPDATE "UsageImports" SET "FirstUsageDate" = d.first, "LastUsageDate" = d.last
                FROM (SELECT "UsageImportId", min("UsageDate") AS first, max("UsageDate") AS last FROM "DailyUsageTotals" GROUP BY "UsageImportId") AS d
                WHERE d."UsageImportId" = "UsageImports"."Id";
                """);

            migrationBuilder.CreateTable(
                name: "UsageImportSubscriptions",
                columns: table => new
                {
                    UsageImportId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerTenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "TEXT", nullable: false)
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
            migrationBuilder.RenameTable(name: "DailyUsageTotals", newName: "DailyUsageTotalsBefore");
            migrationBuilder.Sql(CreateCompactTotals);
            migrationBuilder.Sql("""
                INSERT INTO "DailyUsageTotals" ("UsageImportId", "SubscriptionNumber", "UsageDate", "Quantity", "BillingPreTaxTotal", "Rows")
                SELECT t."UsageImportId", s."Number", t."UsageDate", t."Quantity", t."BillingPreTaxTotal", t."Rows"
                FROM "DailyUsageTotalsBefore" AS t
                JOIN "UsageImportSubscriptions" AS s ON s."UsageImportId" = t."UsageImportId" AND s."CustomerTenantId" = t."CustomerTenantId" AND s."SubscriptionId" = t."SubscriptionId"
                ORDER BY 1, 2, 3;
                """);
            migrationBuilder.DropTable(name: "DailyUsageTotalsBefore");
        }

        /// <summary>The table EF Core would create for <c>DailyUsageTotal</c>, without a rowid (which EF Core cannot say).</summary>
        internal const string CreateCompactTotals = """
            CREATE TABLE "DailyUsageTotals" (
                "UsageImportId" TEXT NOT NULL,
                "SubscriptionNumber" INTEGER NOT NULL,
                "UsageDate" TEXT NOT NULL,
                "Quantity" TEXT NOT NULL,
                "BillingPreTaxTotal" TEXT NOT NULL,
                "Rows" INTEGER NOT NULL,
                CONSTRAINT "PK_DailyUsageTotals" PRIMARY KEY ("UsageImportId", "SubscriptionNumber", "UsageDate")
            ) WITHOUT ROWID;
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameTable(name: "DailyUsageTotals", newName: "DailyUsageTotalsCompact");
            migrationBuilder.CreateTable(
                name: "DailyUsageTotals",
                columns: table => new
                {
                    UsageImportId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerTenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UsageDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Quantity = table.Column<decimal>(type: "TEXT", precision: 19, scale: 6, nullable: false),
                    BillingPreTaxTotal = table.Column<decimal>(type: "TEXT", precision: 19, scale: 6, nullable: false),
                    Rows = table.Column<int>(type: "INTEGER", nullable: false)
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
