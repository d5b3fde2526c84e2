using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class InvoiceLineKinds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Every line billed before this column existed is a licence charge's.
            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "InvoiceLines",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Licence");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Kind",
                table: "InvoiceLines");
        }
    }
}
