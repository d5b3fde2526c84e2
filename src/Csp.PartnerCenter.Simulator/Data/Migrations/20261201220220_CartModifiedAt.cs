using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.PartnerCenter.Simulator.Data.Migrations
{
    /// <inheritdoc />
    public partial class CartModifiedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ModifiedAt",
                table: "Carts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // A cart kept before was last changed, as far as anyone knows, when it was created.
            migrationBuilder.Sql("UPDATE \"Carts\" SET \"ModifiedAt\" = \"CreatedAt\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ModifiedAt",
                table: "Carts");
        }
    }
}
