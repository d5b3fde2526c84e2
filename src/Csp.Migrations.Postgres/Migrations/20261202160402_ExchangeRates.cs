using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ExchangeRates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "ExchangeRate",
                table: "InvoiceLines",
                type: "numeric(20,10)",
                precision: 20,
                scale: 10,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExchangeRateDate",
                table: "InvoiceLines",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "MicrosoftCost",
                table: "InvoiceLines",
                type: "numeric(19,6)",
                precision: 19,
                scale: 6,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "MicrosoftCurrency",
                table: "InvoiceLines",
                type: "character varying(3)",
                maxLength: 3,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "InvoiceCurrency",
                table: "Customers",
                type: "character varying(3)",
                maxLength: 3,
                nullable: true);

            // Every line billed before is in Microsoft's currency: its cost is Microsoft's subtotal, unconverted.
            migrationBuilder.Sql("UPDATE \"InvoiceLines\" SET \"MicrosoftCost\" = \"MicrosoftSubtotal\", \"MicrosoftCurrency\" = \"Currency\";");

            migrationBuilder.CreateTable(
                name: "ExchangeRates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    FromCurrency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    ToCurrency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Rate = table.Column<decimal>(type: "numeric(20,10)", precision: 20, scale: 10, nullable: false),
                    EffectiveFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    Source = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExchangeRates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExchangeRates_Partners_PartnerId",
                        column: x => x.PartnerId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExchangeRates_PartnerId_FromCurrency_ToCurrency_EffectiveFr~",
                table: "ExchangeRates",
                columns: new[] { "PartnerId", "FromCurrency", "ToCurrency", "EffectiveFrom" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExchangeRates");

            migrationBuilder.DropColumn(
                name: "ExchangeRate",
                table: "InvoiceLines");

            migrationBuilder.DropColumn(
                name: "ExchangeRateDate",
                table: "InvoiceLines");

            migrationBuilder.DropColumn(
                name: "MicrosoftCost",
                table: "InvoiceLines");

            migrationBuilder.DropColumn(
                name: "MicrosoftCurrency",
                table: "InvoiceLines");

            migrationBuilder.DropColumn(
                name: "InvoiceCurrency",
                table: "Customers");
        }
    }
}
