//! Governance: gates with criteria, results and approvals; RACI; release templates;
//! notifications and outbound webhooks.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{drop_tables, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Gate {
    Table,
    Id,
    ReleaseId,
    PhaseId,
    Name,
    Description,
    Status,
    DueAt,
    RequestedBy,
    RequestedAt,
    DecidedAt,
    DecidedByName,
    DecisionReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum GateCriterion {
    Table,
    Id,
    GateId,
    Position,
    Name,
    Kind,
    Metric,
    Comparator,
    Threshold,
    Unit,
    ApproverRole,
    ByAccountable,
    Quorum,
    State,
    LastValue,
    UpdatedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CriterionResult {
    Table,
    Id,
    CriterionId,
    GateId,
    Value,
    Passed,
    Source,
    Link,
    Note,
    RecordedBy,
    RecordedByName,
    RecordedAt,
}

#[derive(DeriveIden)]
enum GateApproval {
    Table,
    Id,
    GateId,
    CriterionId,
    ApproverId,
    ApproverName,
    Decision,
    Comment,
    DecidedAt,
}

#[derive(DeriveIden)]
enum RaciAssignment {
    Table,
    Id,
    SubjectType,
    SubjectId,
    ReleaseId,
    UserId,
    Team,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReleaseTemplate {
    Table,
    Id,
    Name,
    Description,
    Definition,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    UserId,
    Kind,
    Title,
    Body,
    SubjectType,
    SubjectId,
    ReleaseId,
    DedupeKey,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum Webhook {
    Table,
    Id,
    Name,
    Url,
    Secret,
    Kinds,
    Active,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookDelivery {
    Table,
    Id,
    WebhookId,
    Kind,
    DedupeKey,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    LastStatusCode,
    LastError,
    CreatedAt,
    DeliveredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Gate::Table)
                    .col(pk_uuid(Gate::Id))
                    .col(uuid(Gate::ReleaseId))
                    .col(uuid(Gate::PhaseId))
                    .col(string_len(Gate::Name, 200))
                    .col(text_null(Gate::Description))
                    .col(string_len(Gate::Status, 32))
                    .col(timestamp_with_time_zone_null(Gate::DueAt))
                    .col(uuid_null(Gate::RequestedBy))
                    .col(timestamp_with_time_zone_null(Gate::RequestedAt))
                    .col(timestamp_with_time_zone_null(Gate::DecidedAt))
                    .col(string_len_null(Gate::DecidedByName, 200))
                    .col(text_null(Gate::DecisionReason))
                    .col(timestamp_with_time_zone(Gate::CreatedAt))
                    .col(timestamp_with_time_zone(Gate::UpdatedAt))
                    .foreign_key(&mut fk(
                        "gate",
                        "release_id",
                        "release",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "gate",
                        "phase_id",
                        "phase",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "gate",
                        "requested_by",
                        "app_user",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "gate", &["release_id"], false).await?;
        index(manager, "gate", &["phase_id"], false).await?;
        index(manager, "gate", &["status", "due_at"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(GateCriterion::Table)
                    .col(pk_uuid(GateCriterion::Id))
                    .col(uuid(GateCriterion::GateId))
                    .col(integer(GateCriterion::Position))
                    .col(string_len(GateCriterion::Name, 200))
                    .col(string_len(GateCriterion::Kind, 32))
                    .col(string_len_null(GateCriterion::Metric, 200))
                    .col(string_len_null(GateCriterion::Comparator, 32))
                    .col(double_null(GateCriterion::Threshold))
                    .col(string_len_null(GateCriterion::Unit, 40))
                    .col(string_len_null(GateCriterion::ApproverRole, 32))
                    .col(boolean(GateCriterion::ByAccountable))
                    .col(integer(GateCriterion::Quorum))
                    .col(string_len(GateCriterion::State, 32))
                    .col(double_null(GateCriterion::LastValue))
                    .col(timestamp_with_time_zone(GateCriterion::UpdatedAt))
                    .col(timestamp_with_time_zone(GateCriterion::CreatedAt))
                    .foreign_key(&mut fk(
                        "gate_criterion",
                        "gate_id",
                        "gate",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "gate_criterion", &["gate_id", "position"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(CriterionResult::Table)
                    .col(pk_uuid(CriterionResult::Id))
                    .col(uuid(CriterionResult::CriterionId))
                    .col(uuid(CriterionResult::GateId))
                    .col(double_null(CriterionResult::Value))
                    .col(boolean(CriterionResult::Passed))
                    .col(string_len(CriterionResult::Source, 200))
                    .col(string_len_null(CriterionResult::Link, 2000))
                    .col(text_null(CriterionResult::Note))
                    .col(uuid_null(CriterionResult::RecordedBy))
                    .col(string_len(CriterionResult::RecordedByName, 200))
                    .col(timestamp_with_time_zone(CriterionResult::RecordedAt))
                    .foreign_key(&mut fk(
                        "criterion_result",
                        "criterion_id",
                        "gate_criterion",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "criterion_result",
            &["criterion_id", "recorded_at"],
            false,
        )
        .await?;
        index(manager, "criterion_result", &["gate_id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(GateApproval::Table)
                    .col(pk_uuid(GateApproval::Id))
                    .col(uuid(GateApproval::GateId))
                    .col(uuid(GateApproval::CriterionId))
                    .col(uuid(GateApproval::ApproverId))
                    .col(string_len(GateApproval::ApproverName, 200))
                    .col(string_len(GateApproval::Decision, 32))
                    .col(text_null(GateApproval::Comment))
                    .col(timestamp_with_time_zone(GateApproval::DecidedAt))
                    .foreign_key(&mut fk(
                        "gate_approval",
                        "criterion_id",
                        "gate_criterion",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "gate_approval",
                        "approver_id",
                        "app_user",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // One vote per person per criterion: a quorum counts distinct approvers.
        index(
            manager,
            "gate_approval",
            &["criterion_id", "approver_id"],
            true,
        )
        .await?;
        index(manager, "gate_approval", &["gate_id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(RaciAssignment::Table)
                    .col(pk_uuid(RaciAssignment::Id))
                    .col(string_len(RaciAssignment::SubjectType, 32))
                    .col(uuid(RaciAssignment::SubjectId))
                    .col(uuid_null(RaciAssignment::ReleaseId))
                    .col(uuid_null(RaciAssignment::UserId))
                    .col(string_len_null(RaciAssignment::Team, 200))
                    .col(string_len(RaciAssignment::Role, 32))
                    .col(timestamp_with_time_zone(RaciAssignment::CreatedAt))
                    .foreign_key(&mut fk(
                        "raci_assignment",
                        "user_id",
                        "app_user",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "raci_assignment",
                        "release_id",
                        "release",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "raci_assignment",
            &["subject_type", "subject_id"],
            false,
        )
        .await?;
        index(manager, "raci_assignment", &["user_id", "role"], false).await?;
        index(manager, "raci_assignment", &["release_id"], false).await?;
        // Exactly one accountable per subject, enforced by the database: a partial unique
        // index (the same statement works on SQLite and PostgreSQL).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_raci_assignment_one_accountable ON raci_assignment (subject_type, subject_id) WHERE role = 'ACCOUNTABLE'",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReleaseTemplate::Table)
                    .col(pk_uuid(ReleaseTemplate::Id))
                    .col(string_len_uniq(ReleaseTemplate::Name, 200))
                    .col(text_null(ReleaseTemplate::Description))
                    .col(json(ReleaseTemplate::Definition))
                    .col(timestamp_with_time_zone(ReleaseTemplate::CreatedAt))
                    .col(timestamp_with_time_zone(ReleaseTemplate::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notification::Table)
                    .col(pk_uuid(Notification::Id))
                    .col(uuid(Notification::UserId))
                    .col(string_len(Notification::Kind, 64))
                    .col(string_len(Notification::Title, 300))
                    .col(text(Notification::Body))
                    .col(string_len_null(Notification::SubjectType, 64))
                    .col(uuid_null(Notification::SubjectId))
                    .col(uuid_null(Notification::ReleaseId))
                    .col(string_len(Notification::DedupeKey, 300))
                    .col(timestamp_with_time_zone(Notification::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notification::ReadAt))
                    .foreign_key(&mut fk(
                        "notification",
                        "user_id",
                        "app_user",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // Each fact is notified once per person, whichever instance noticed it first.
        index(manager, "notification", &["user_id", "dedupe_key"], true).await?;
        index(manager, "notification", &["user_id", "created_at"], false).await?;
        index(manager, "notification", &["user_id", "read_at"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(Webhook::Table)
                    .col(pk_uuid(Webhook::Id))
                    .col(string_len(Webhook::Name, 200))
                    .col(string_len(Webhook::Url, 2000))
                    .col(string_len(Webhook::Secret, 200))
                    .col(string_len(Webhook::Kinds, 1000))
                    .col(boolean(Webhook::Active))
                    .col(uuid_null(Webhook::CreatedBy))
                    .col(timestamp_with_time_zone(Webhook::CreatedAt))
                    .col(timestamp_with_time_zone(Webhook::UpdatedAt))
                    .foreign_key(&mut fk(
                        "webhook",
                        "created_by",
                        "app_user",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WebhookDelivery::Table)
                    .col(pk_uuid(WebhookDelivery::Id))
                    .col(uuid(WebhookDelivery::WebhookId))
                    .col(string_len(WebhookDelivery::Kind, 64))
                    .col(string_len(WebhookDelivery::DedupeKey, 300))
                    .col(text(WebhookDelivery::Payload))
                    .col(string_len(WebhookDelivery::Status, 32))
                    .col(integer(WebhookDelivery::Attempts))
                    .col(timestamp_with_time_zone(WebhookDelivery::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(WebhookDelivery::ClaimedUntil))
                    .col(integer_null(WebhookDelivery::LastStatusCode))
                    .col(text_null(WebhookDelivery::LastError))
                    .col(timestamp_with_time_zone(WebhookDelivery::CreatedAt))
                    .col(timestamp_with_time_zone_null(WebhookDelivery::DeliveredAt))
                    .foreign_key(&mut fk(
                        "webhook_delivery",
                        "webhook_id",
                        "webhook",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "webhook_delivery",
            &["status", "next_attempt_at"],
            false,
        )
        .await?;
        index(
            manager,
            "webhook_delivery",
            &["webhook_id", "created_at"],
            false,
        )
        .await?;
        // One delivery per fact per webhook, even when several instances notice the fact.
        index(
            manager,
            "webhook_delivery",
            &["webhook_id", "dedupe_key"],
            true,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "webhook_delivery",
                "webhook",
                "notification",
                "release_template",
                "raci_assignment",
                "gate_approval",
                "criterion_result",
                "gate_criterion",
                "gate",
            ],
        )
        .await
    }
}
