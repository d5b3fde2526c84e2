using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.PartnerCenter.Simulator.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditRecordCorrelation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OriginalCorrelationId",
                table: "AuditRecords",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "OriginalCorrelationId",
                table: "AuditRecords");
        }
    }
}
