using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class IdempotencyKeyDay : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_IdempotencyRecords_CreatedAt",
                table: "IdempotencyRecords");

            migrationBuilder.AddColumn<DateOnly>(
                name: "CreatedOn",
                table: "IdempotencyRecords",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            // Keys made before this column existed get the UTC day they were made, so none is forgotten early.
            migrationBuilder.Sql("UPDATE \"IdempotencyRecords\" SET \"CreatedOn\" = (\"CreatedAt\" AT TIME ZONE 'UTC')::date;");

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyRecords_CreatedOn",
                table: "IdempotencyRecords",
                column: "CreatedOn");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_IdempotencyRecords_CreatedOn",
                table: "IdempotencyRecords");

            migrationBuilder.DropColumn(
                name: "CreatedOn",
                table: "IdempotencyRecords");

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyRecords_CreatedAt",
                table: "IdempotencyRecords",
                column: "CreatedAt");
        }
    }
}
