using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Csp.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Partners",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ParentPartnerId = table.Column<Guid>(type: "uuid", nullable: true),
                    Country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    BillingCurrency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    BillingTimeZone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    MpnId = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Partners", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Partners_Partners_ParentPartnerId",
                        column: x => x.ParentPartnerId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Products",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Title = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Family = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    BillingType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Publisher = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Products", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Customers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerTenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Domain = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Customers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Customers_Partners_PartnerId",
                        column: x => x.PartnerId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Skus",
                columns: table => new
                {
                    ProductId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Id = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Title = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    MinimumQuantity = table.Column<int>(type: "integer", nullable: false),
                    MaximumQuantity = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Skus", x => new { x.ProductId, x.Id });
                    table.ForeignKey(
                        name: "FK_Skus_Products_ProductId",
                        column: x => x.ProductId,
                        principalTable: "Products",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Subscriptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    MicrosoftSubscriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProductId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SkuId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    AvailabilityId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CatalogItemId = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    FriendlyName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Term = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    BillingPlan = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false),
                    StartDate = table.Column<DateOnly>(type: "date", nullable: false),
                    TermStartDate = table.Column<DateOnly>(type: "date", nullable: false),
                    TermEndDate = table.Column<DateOnly>(type: "date", nullable: true),
                    TermStartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    EndOfTerm = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    AutoRenewEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    UnitPrice = table.Column<decimal>(type: "numeric(19,6)", precision: 19, scale: 6, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    PromotionId = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: true),
                    IsTrial = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Subscriptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Subscriptions_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Subscriptions_Partners_PartnerId",
                        column: x => x.PartnerId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Availabilities",
                columns: table => new
                {
                    ProductId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SkuId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CatalogItemId = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    Segment = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Availabilities", x => new { x.ProductId, x.SkuId, x.Id });
                    table.ForeignKey(
                        name: "FK_Availabilities_Skus_ProductId_SkuId",
                        columns: x => new { x.ProductId, x.SkuId },
                        principalTable: "Skus",
                        principalColumns: new[] { "ProductId", "Id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SubscriptionEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SubscriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Change = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    Actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    MicrosoftRequestId = table.Column<Guid>(type: "uuid", nullable: true),
                    QuantityBefore = table.Column<int>(type: "integer", nullable: true),
                    QuantityAfter = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubscriptionEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SubscriptionEvents_Subscriptions_SubscriptionId",
                        column: x => x.SubscriptionId,
                        principalTable: "Subscriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AvailabilityTerms",
                columns: table => new
                {
                    Term = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    BillingPlan = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ProductId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SkuId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    AvailabilityId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AvailabilityTerms", x => new { x.ProductId, x.SkuId, x.AvailabilityId, x.Term, x.BillingPlan });
                    table.ForeignKey(
                        name: "FK_AvailabilityTerms_Availabilities_ProductId_SkuId_Availabili~",
                        columns: x => new { x.ProductId, x.SkuId, x.AvailabilityId },
                        principalTable: "Availabilities",
                        principalColumns: new[] { "ProductId", "SkuId", "Id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Prices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProductId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SkuId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    AvailabilityId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Market = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Term = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    BillingPlan = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    UnitPrice = table.Column<decimal>(type: "numeric(19,6)", precision: 19, scale: 6, nullable: false),
                    ErpPrice = table.Column<decimal>(type: "numeric(19,6)", precision: 19, scale: 6, nullable: false),
                    EffectiveFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    EffectiveTo = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Prices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Prices_Availabilities_ProductId_SkuId_AvailabilityId",
                        columns: x => new { x.ProductId, x.SkuId, x.AvailabilityId },
                        principalTable: "Availabilities",
                        principalColumns: new[] { "ProductId", "SkuId", "Id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Availabilities_CatalogItemId",
                table: "Availabilities",
                column: "CatalogItemId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Customers_CustomerTenantId",
                table: "Customers",
                column: "CustomerTenantId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Customers_PartnerId_Name",
                table: "Customers",
                columns: new[] { "PartnerId", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_Partners_ParentPartnerId",
                table: "Partners",
                column: "ParentPartnerId");

            migrationBuilder.CreateIndex(
                name: "IX_Prices_ProductId_SkuId_AvailabilityId_Market_Currency_Term_~",
                table: "Prices",
                columns: new[] { "ProductId", "SkuId", "AvailabilityId", "Market", "Currency", "Term", "BillingPlan", "EffectiveFrom" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SubscriptionEvents_SubscriptionId_Id",
                table: "SubscriptionEvents",
                columns: new[] { "SubscriptionId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Subscriptions_CustomerId",
                table: "Subscriptions",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_Subscriptions_MicrosoftSubscriptionId",
                table: "Subscriptions",
                column: "MicrosoftSubscriptionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Subscriptions_PartnerId_TermEndDate",
                table: "Subscriptions",
                columns: new[] { "PartnerId", "TermEndDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AvailabilityTerms");

            migrationBuilder.DropTable(
                name: "Prices");

            migrationBuilder.DropTable(
                name: "SubscriptionEvents");

            migrationBuilder.DropTable(
                name: "Availabilities");

            migrationBuilder.DropTable(
                name: "Subscriptions");

            migrationBuilder.DropTable(
                name: "Skus");

            migrationBuilder.DropTable(
                name: "Customers");

            migrationBuilder.DropTable(
                name: "Products");

            migrationBuilder.DropTable(
                name: "Partners");
        }
    }
}
