//! Database migrations. Each one runs on SQLite and on PostgreSQL: portable builders only,
//! enums stored as strings, UUID ids, UTC timestamps, foreign keys declared with the table.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_identity;
mod m20261123_000002_catalogue;
mod m20261123_000003_releases;
mod m20261123_000004_audit;
mod m20261124_000001_bookings;
mod m20261124_000002_governance;
mod m20261124_000003_plans;
mod m20261125_000001_audit_filters;
mod util;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_identity::Migration),
            Box::new(m20261123_000002_catalogue::Migration),
            Box::new(m20261123_000003_releases::Migration),
            Box::new(m20261123_000004_audit::Migration),
            Box::new(m20261124_000001_bookings::Migration),
            Box::new(m20261124_000002_governance::Migration),
            Box::new(m20261124_000003_plans::Migration),
            Box::new(m20261125_000001_audit_filters::Migration),
        ]
    }
}
