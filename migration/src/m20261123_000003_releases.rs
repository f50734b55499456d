//! Releases with their phases, milestones, impacts and dependencies; packages; deployments.

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{ConnectionTrait, DbBackend, Statement},
};

use crate::util::{drop_tables, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Release {
    Table,
    Id,
    Key,
    Name,
    Description,
    Kind,
    Status,
    Risk,
    ParentId,
    OwnerId,
    PlannedStart,
    PlannedGoLive,
    ActualStart,
    ActualGoLive,
    SearchText,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Phase {
    Table,
    Id,
    ReleaseId,
    Name,
    Position,
    PlannedStart,
    PlannedEnd,
    ActualStart,
    ActualEnd,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Milestone {
    Table,
    Id,
    ReleaseId,
    Name,
    PlannedDate,
    ActualAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReleaseImpact {
    Table,
    Id,
    ReleaseId,
    SystemId,
    Kind,
    Notes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReleaseDependency {
    Table,
    Id,
    ReleaseId,
    DependsOnId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Package {
    Table,
    Id,
    ReleaseId,
    SystemId,
    Name,
    Version,
    Kind,
    Status,
    JiraKey,
    ChangeRequestId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Deployment {
    Table,
    Id,
    PackageId,
    EnvironmentId,
    SystemId,
    ReleaseId,
    Version,
    Status,
    DeployedAt,
    DeployedBy,
    DeployedByName,
    Notes,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Release::Table)
                    .col(pk_uuid(Release::Id))
                    .col(string_len_uniq(Release::Key, 40))
                    .col(string_len(Release::Name, 200))
                    .col(text_null(Release::Description))
                    .col(string_len(Release::Kind, 32))
                    .col(string_len(Release::Status, 32))
                    .col(string_len(Release::Risk, 32))
                    .col(uuid_null(Release::ParentId))
                    .col(uuid_null(Release::OwnerId))
                    .col(date(Release::PlannedStart))
                    .col(date(Release::PlannedGoLive))
                    .col(timestamp_with_time_zone_null(Release::ActualStart))
                    .col(timestamp_with_time_zone_null(Release::ActualGoLive))
                    .col(string_len(Release::SearchText, 260))
                    .col(timestamp_with_time_zone(Release::CreatedAt))
                    .col(timestamp_with_time_zone(Release::UpdatedAt))
                    .foreign_key(&mut fk(
                        "release",
                        "parent_id",
                        "release",
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "release",
                        "owner_id",
                        "app_user",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        for columns in [
            &["status", "planned_go_live"][..],
            &["kind"],
            &["risk"],
            &["parent_id"],
            &["owner_id"],
            &["planned_start", "id"],
            &["planned_go_live", "id"],
            &["name", "id"],
            &["created_at", "id"],
        ] {
            index(manager, "release", columns, false).await?;
        }
        trigram_index(manager, "release", "search_text").await?;

        manager
            .create_table(
                Table::create()
                    .table(Phase::Table)
                    .col(pk_uuid(Phase::Id))
                    .col(uuid(Phase::ReleaseId))
                    .col(string_len(Phase::Name, 200))
                    .col(integer(Phase::Position))
                    .col(date(Phase::PlannedStart))
                    .col(date(Phase::PlannedEnd))
                    .col(timestamp_with_time_zone_null(Phase::ActualStart))
                    .col(timestamp_with_time_zone_null(Phase::ActualEnd))
                    .col(timestamp_with_time_zone(Phase::CreatedAt))
                    .col(timestamp_with_time_zone(Phase::UpdatedAt))
                    .foreign_key(&mut fk(
                        "phase",
                        "release_id",
                        "release",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "phase", &["release_id", "position"], true).await?;

        manager
            .create_table(
                Table::create()
                    .table(Milestone::Table)
                    .col(pk_uuid(Milestone::Id))
                    .col(uuid(Milestone::ReleaseId))
                    .col(string_len(Milestone::Name, 200))
                    .col(date(Milestone::PlannedDate))
                    .col(timestamp_with_time_zone_null(Milestone::ActualAt))
                    .col(timestamp_with_time_zone(Milestone::CreatedAt))
                    .col(timestamp_with_time_zone(Milestone::UpdatedAt))
                    .foreign_key(&mut fk(
                        "milestone",
                        "release_id",
                        "release",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "milestone", &["release_id", "planned_date"], false).await?;
        index(manager, "milestone", &["planned_date"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(ReleaseImpact::Table)
                    .col(pk_uuid(ReleaseImpact::Id))
                    .col(uuid(ReleaseImpact::ReleaseId))
                    .col(uuid(ReleaseImpact::SystemId))
                    .col(string_len(ReleaseImpact::Kind, 32))
                    .col(text_null(ReleaseImpact::Notes))
                    .col(timestamp_with_time_zone(ReleaseImpact::CreatedAt))
                    .foreign_key(&mut fk(
                        "release_impact",
                        "release_id",
                        "release",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "release_impact",
                        "system_id",
                        "system",
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "release_impact",
            &["release_id", "system_id"],
            true,
        )
        .await?;
        index(manager, "release_impact", &["system_id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(ReleaseDependency::Table)
                    .col(pk_uuid(ReleaseDependency::Id))
                    .col(uuid(ReleaseDependency::ReleaseId))
                    .col(uuid(ReleaseDependency::DependsOnId))
                    .col(timestamp_with_time_zone(ReleaseDependency::CreatedAt))
                    .foreign_key(&mut fk(
                        "release_dependency",
                        "release_id",
                        "release",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "release_dependency",
                        "depends_on_id",
                        "release",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "release_dependency",
            &["release_id", "depends_on_id"],
            true,
        )
        .await?;
        index(manager, "release_dependency", &["depends_on_id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(Package::Table)
                    .col(pk_uuid(Package::Id))
                    .col(uuid(Package::ReleaseId))
                    .col(uuid(Package::SystemId))
                    .col(string_len(Package::Name, 200))
                    .col(string_len(Package::Version, 100))
                    .col(string_len(Package::Kind, 32))
                    .col(string_len(Package::Status, 32))
                    .col(string_len_null(Package::JiraKey, 100))
                    .col(string_len_null(Package::ChangeRequestId, 100))
                    .col(timestamp_with_time_zone(Package::CreatedAt))
                    .col(timestamp_with_time_zone(Package::UpdatedAt))
                    .foreign_key(&mut fk(
                        "package",
                        "release_id",
                        "release",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "package",
                        "system_id",
                        "system",
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "package", &["release_id", "created_at"], false).await?;
        index(manager, "package", &["system_id"], false).await?;
        index(manager, "package", &["status"], false).await?;
        index(manager, "package", &["created_at", "id"], false).await?;
        index(manager, "package", &["name", "id"], false).await?;
        index(manager, "package", &["jira_key"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(Deployment::Table)
                    .col(pk_uuid(Deployment::Id))
                    .col(uuid(Deployment::PackageId))
                    .col(uuid(Deployment::EnvironmentId))
                    .col(uuid(Deployment::SystemId))
                    .col(uuid(Deployment::ReleaseId))
                    .col(string_len(Deployment::Version, 100))
                    .col(string_len(Deployment::Status, 32))
                    .col(timestamp_with_time_zone(Deployment::DeployedAt))
                    .col(uuid_null(Deployment::DeployedBy))
                    .col(string_len(Deployment::DeployedByName, 200))
                    .col(text_null(Deployment::Notes))
                    .col(timestamp_with_time_zone(Deployment::CreatedAt))
                    .foreign_key(&mut fk(
                        "deployment",
                        "package_id",
                        "package",
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "deployment",
                        "environment_id",
                        "environment",
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "deployment",
                        "system_id",
                        "system",
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "deployment",
                        "release_id",
                        "release",
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "deployment",
                        "deployed_by",
                        "app_user",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "deployment",
            &["environment_id", "system_id", "deployed_at"],
            false,
        )
        .await?;
        index(manager, "deployment", &["package_id", "deployed_at"], false).await?;
        index(manager, "deployment", &["release_id"], false).await?;
        index(manager, "deployment", &["system_id"], false).await?;
        index(manager, "deployment", &["deployed_at", "id"], false).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "deployment",
                "package",
                "release_dependency",
                "release_impact",
                "milestone",
                "phase",
                "release",
            ],
        )
        .await
    }
}

/// On PostgreSQL, a trigram index makes `LIKE '%text%'` searches use an index. SQLite has no
/// equivalent for infix matches; there the search scans, which is fine at single-node sizes.
async fn trigram_index(
    manager: &SchemaManager<'_>,
    table: &str,
    column: &str,
) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let db = manager.get_connection();
    let available = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT 1 AS one FROM pg_available_extensions WHERE name = 'pg_trgm'",
        ))
        .await?
        .is_some();
    if !available {
        return Ok(());
    }
    db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        .await?;
    db.execute_unprepared(&format!(
        "CREATE INDEX IF NOT EXISTS idx_{table}_{column}_trgm ON \"{table}\" USING gin (\"{column}\" gin_trgm_ops)"
    ))
    .await?;
    Ok(())
}
