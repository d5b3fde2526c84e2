using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ChargeKeysByCustomer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_InvoiceLines_PartnerId_ChargeKey",
                table: "InvoiceLines");

            migrationBuilder.CreateIndex(
                name: "IX_InvoiceLines_PartnerId_CustomerId_ChargeKey",
                table: "InvoiceLines",
                columns: new[] { "PartnerId", "CustomerId", "ChargeKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_InvoiceLines_PartnerId_CustomerId_ChargeKey",
                table: "InvoiceLines");

            migrationBuilder.CreateIndex(
                name: "IX_InvoiceLines_PartnerId_ChargeKey",
                table: "InvoiceLines",
                columns: new[] { "PartnerId", "ChargeKey" },
                unique: true);
        }
    }
}
