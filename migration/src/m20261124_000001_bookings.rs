//! Environment bookings (with their waitlist) and blackout periods.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{drop_tables, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Booking {
    Table,
    Id,
    EnvironmentId,
    ReleaseId,
    PhaseId,
    SeriesId,
    Purpose,
    StartsAt,
    EndsAt,
    Status,
    RequestedBy,
    RequestedByName,
    DecidedBy,
    DecidedByName,
    DecidedAt,
    DecisionComment,
    CancelledAt,
    CancelReason,
    WaitlistedAt,
    OfferedAt,
    BlackoutOverride,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Blackout {
    Table,
    Id,
    Name,
    Description,
    StartsAt,
    EndsAt,
    TimeZone,
    OrgWide,
    CreatedBy,
    CreatedByName,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BlackoutEnvironment {
    Table,
    BlackoutId,
    EnvironmentId,
}

#[derive(DeriveIden)]
enum BlackoutSystem {
    Table,
    BlackoutId,
    SystemId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Booking::Table)
                    .col(pk_uuid(Booking::Id))
                    .col(uuid(Booking::EnvironmentId))
                    .col(uuid(Booking::ReleaseId))
                    .col(uuid_null(Booking::PhaseId))
                    .col(uuid_null(Booking::SeriesId))
                    .col(text(Booking::Purpose))
                    .col(timestamp_with_time_zone(Booking::StartsAt))
                    .col(timestamp_with_time_zone(Booking::EndsAt))
                    .col(string_len(Booking::Status, 32))
                    .col(uuid_null(Booking::RequestedBy))
                    .col(string_len(Booking::RequestedByName, 200))
                    .col(uuid_null(Booking::DecidedBy))
                    .col(string_len_null(Booking::DecidedByName, 200))
                    .col(timestamp_with_time_zone_null(Booking::DecidedAt))
                    .col(text_null(Booking::DecisionComment))
                    .col(timestamp_with_time_zone_null(Booking::CancelledAt))
                    .col(text_null(Booking::CancelReason))
                    .col(timestamp_with_time_zone_null(Booking::WaitlistedAt))
                    .col(timestamp_with_time_zone_null(Booking::OfferedAt))
                    .col(text_null(Booking::BlackoutOverride))
                    .col(timestamp_with_time_zone(Booking::CreatedAt))
                    .col(timestamp_with_time_zone(Booking::UpdatedAt))
                    .foreign_key(&mut fk(
                        "booking",
                        "environment_id",
                        "environment",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "booking",
                        "release_id",
                        "release",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "booking",
                        "phase_id",
                        "phase",
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "booking",
                        "requested_by",
                        "app_user",
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "booking",
                        "decided_by",
                        "app_user",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        for columns in [
            // The overlap lookup: one environment, the statuses that hold a slot, then the
            // bookings ending after the asked start (starts_at filtered inside the index).
            &["environment_id", "status", "ends_at", "starts_at"][..],
            // A release's bookings, and "did this release hold the environment" checks.
            &["release_id", "environment_id", "starts_at"],
            // Reports over every environment (utilization, idle bookings).
            &["status", "ends_at"],
            &["starts_at", "id"],
            &["requested_by"],
            &["decided_by"],
            &["phase_id"],
            &["series_id"],
        ] {
            index(manager, "booking", columns, false).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Blackout::Table)
                    .col(pk_uuid(Blackout::Id))
                    .col(string_len(Blackout::Name, 200))
                    .col(text_null(Blackout::Description))
                    .col(timestamp_with_time_zone(Blackout::StartsAt))
                    .col(timestamp_with_time_zone(Blackout::EndsAt))
                    .col(string_len(Blackout::TimeZone, 64))
                    .col(boolean(Blackout::OrgWide))
                    .col(uuid_null(Blackout::CreatedBy))
                    .col(string_len(Blackout::CreatedByName, 200))
                    .col(timestamp_with_time_zone(Blackout::CreatedAt))
                    .col(timestamp_with_time_zone(Blackout::UpdatedAt))
                    .foreign_key(&mut fk(
                        "blackout",
                        "created_by",
                        "app_user",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "blackout", &["ends_at", "starts_at"], false).await?;
        index(manager, "blackout", &["starts_at", "id"], false).await?;
        index(manager, "blackout", &["created_by"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(BlackoutEnvironment::Table)
                    .col(uuid(BlackoutEnvironment::BlackoutId))
                    .col(uuid(BlackoutEnvironment::EnvironmentId))
                    .primary_key(
                        Index::create()
                            .col(BlackoutEnvironment::BlackoutId)
                            .col(BlackoutEnvironment::EnvironmentId),
                    )
                    .foreign_key(&mut fk(
                        "blackout_environment",
                        "blackout_id",
                        "blackout",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "blackout_environment",
                        "environment_id",
                        "environment",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "blackout_environment", &["environment_id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(BlackoutSystem::Table)
                    .col(uuid(BlackoutSystem::BlackoutId))
                    .col(uuid(BlackoutSystem::SystemId))
                    .primary_key(
                        Index::create()
                            .col(BlackoutSystem::BlackoutId)
                            .col(BlackoutSystem::SystemId),
                    )
                    .foreign_key(&mut fk(
                        "blackout_system",
                        "blackout_id",
                        "blackout",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "blackout_system",
                        "system_id",
                        "system",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "blackout_system", &["system_id"], false).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "blackout_system",
                "blackout_environment",
                "blackout",
                "booking",
            ],
        )
        .await
    }
}
