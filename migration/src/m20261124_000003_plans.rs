//! Deployment plans (runbooks): activity sets, activities and their dependencies; runs
//! (rehearsals and executions) with per-activity status and issues.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{drop_tables, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DeploymentPlan {
    Table,
    Id,
    ReleaseId,
    Name,
    Mode,
    WindowStart,
    WindowEnd,
    ApprovedByName,
    ApprovedAt,
    CurrentRunId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ActivitySet {
    Table,
    Id,
    PlanId,
    Name,
    Position,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Activity {
    Table,
    Id,
    PlanId,
    SetId,
    Title,
    Description,
    Kind,
    OwnerId,
    OwnerTeam,
    PlannedOffsetMinutes,
    PlannedDurationMinutes,
    Position,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ActivityDependency {
    Table,
    ActivityId,
    DependsOnId,
    PlanId,
}

#[derive(DeriveIden)]
enum PlanRun {
    Table,
    Id,
    PlanId,
    Kind,
    Status,
    StartedAt,
    FinishedAt,
    StartedByName,
    Deadline,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RunActivity {
    Table,
    Id,
    RunId,
    ActivityId,
    PlanId,
    Status,
    StartedAt,
    FinishedAt,
    Decision,
    DecidedByName,
    UpdatedByName,
    Note,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RunIssue {
    Table,
    Id,
    RunId,
    PlanId,
    ActivityId,
    Title,
    Description,
    Severity,
    Resolved,
    RaisedByName,
    RaisedAt,
    ResolvedAt,
    Resolution,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DeploymentPlan::Table)
                    .col(pk_uuid(DeploymentPlan::Id))
                    .col(uuid(DeploymentPlan::ReleaseId))
                    .col(string_len(DeploymentPlan::Name, 200))
                    .col(string_len(DeploymentPlan::Mode, 32))
                    .col(timestamp_with_time_zone(DeploymentPlan::WindowStart))
                    .col(timestamp_with_time_zone(DeploymentPlan::WindowEnd))
                    .col(string_len_null(DeploymentPlan::ApprovedByName, 200))
                    .col(timestamp_with_time_zone_null(DeploymentPlan::ApprovedAt))
                    .col(uuid_null(DeploymentPlan::CurrentRunId))
                    .col(timestamp_with_time_zone(DeploymentPlan::CreatedAt))
                    .col(timestamp_with_time_zone(DeploymentPlan::UpdatedAt))
                    .foreign_key(&mut fk(
                        "deployment_plan",
                        "release_id",
                        "release",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "deployment_plan", &["release_id"], false).await?;
        index(manager, "deployment_plan", &["mode"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(ActivitySet::Table)
                    .col(pk_uuid(ActivitySet::Id))
                    .col(uuid(ActivitySet::PlanId))
                    .col(string_len(ActivitySet::Name, 200))
                    .col(integer(ActivitySet::Position))
                    .col(timestamp_with_time_zone(ActivitySet::CreatedAt))
                    .foreign_key(&mut fk(
                        "activity_set",
                        "plan_id",
                        "deployment_plan",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "activity_set", &["plan_id", "position"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(Activity::Table)
                    .col(pk_uuid(Activity::Id))
                    .col(uuid(Activity::PlanId))
                    .col(uuid_null(Activity::SetId))
                    .col(string_len(Activity::Title, 200))
                    .col(text_null(Activity::Description))
                    .col(string_len(Activity::Kind, 32))
                    .col(uuid_null(Activity::OwnerId))
                    .col(string_len_null(Activity::OwnerTeam, 200))
                    .col(integer(Activity::PlannedOffsetMinutes))
                    .col(integer(Activity::PlannedDurationMinutes))
                    .col(integer(Activity::Position))
                    .col(timestamp_with_time_zone(Activity::CreatedAt))
                    .col(timestamp_with_time_zone(Activity::UpdatedAt))
                    .foreign_key(&mut fk(
                        "activity",
                        "plan_id",
                        "deployment_plan",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "activity",
                        "set_id",
                        "activity_set",
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "activity",
                        "owner_id",
                        "app_user",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "activity", &["plan_id", "position"], false).await?;
        index(manager, "activity", &["owner_id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(ActivityDependency::Table)
                    .col(uuid(ActivityDependency::ActivityId))
                    .col(uuid(ActivityDependency::DependsOnId))
                    .col(uuid(ActivityDependency::PlanId))
                    .primary_key(
                        Index::create()
                            .col(ActivityDependency::ActivityId)
                            .col(ActivityDependency::DependsOnId),
                    )
                    .foreign_key(&mut fk(
                        "activity_dependency",
                        "activity_id",
                        "activity",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "activity_dependency",
                        "depends_on_id",
                        "activity",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "activity_dependency", &["plan_id"], false).await?;
        index(manager, "activity_dependency", &["depends_on_id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(PlanRun::Table)
                    .col(pk_uuid(PlanRun::Id))
                    .col(uuid(PlanRun::PlanId))
                    .col(string_len(PlanRun::Kind, 32))
                    .col(string_len(PlanRun::Status, 32))
                    .col(timestamp_with_time_zone(PlanRun::StartedAt))
                    .col(timestamp_with_time_zone_null(PlanRun::FinishedAt))
                    .col(string_len(PlanRun::StartedByName, 200))
                    .col(timestamp_with_time_zone(PlanRun::Deadline))
                    .col(timestamp_with_time_zone(PlanRun::CreatedAt))
                    .foreign_key(&mut fk(
                        "plan_run",
                        "plan_id",
                        "deployment_plan",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "plan_run", &["plan_id", "started_at"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(RunActivity::Table)
                    .col(pk_uuid(RunActivity::Id))
                    .col(uuid(RunActivity::RunId))
                    .col(uuid(RunActivity::ActivityId))
                    .col(uuid(RunActivity::PlanId))
                    .col(string_len(RunActivity::Status, 32))
                    .col(timestamp_with_time_zone_null(RunActivity::StartedAt))
                    .col(timestamp_with_time_zone_null(RunActivity::FinishedAt))
                    .col(string_len_null(RunActivity::Decision, 32))
                    .col(string_len_null(RunActivity::DecidedByName, 200))
                    .col(string_len_null(RunActivity::UpdatedByName, 200))
                    .col(text_null(RunActivity::Note))
                    .col(timestamp_with_time_zone(RunActivity::UpdatedAt))
                    .foreign_key(&mut fk(
                        "run_activity",
                        "run_id",
                        "plan_run",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "run_activity",
                        "activity_id",
                        "activity",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "run_activity", &["run_id", "activity_id"], true).await?;
        index(manager, "run_activity", &["status", "started_at"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(RunIssue::Table)
                    .col(pk_uuid(RunIssue::Id))
                    .col(uuid(RunIssue::RunId))
                    .col(uuid(RunIssue::PlanId))
                    .col(uuid_null(RunIssue::ActivityId))
                    .col(string_len(RunIssue::Title, 300))
                    .col(text_null(RunIssue::Description))
                    .col(string_len(RunIssue::Severity, 32))
                    .col(boolean(RunIssue::Resolved))
                    .col(string_len(RunIssue::RaisedByName, 200))
                    .col(timestamp_with_time_zone(RunIssue::RaisedAt))
                    .col(timestamp_with_time_zone_null(RunIssue::ResolvedAt))
                    .col(text_null(RunIssue::Resolution))
                    .foreign_key(&mut fk(
                        "run_issue",
                        "run_id",
                        "plan_run",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "run_issue",
                        "activity_id",
                        "activity",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "run_issue", &["run_id", "raised_at"], false).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "run_issue",
                "run_activity",
                "plan_run",
                "activity_dependency",
                "activity",
                "activity_set",
                "deployment_plan",
            ],
        )
        .await
    }
}
